import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** sandbox/python: requirements.txt and the Python runner (dist/image/python → package root). */
export const PYTHON_SOURCE_DIR = path.resolve(here, '../../../python');
/** Where the Python runner lives in the image. */
export const PYTHON_RUNNER_DIR = '/opt/atrium/python';
/** Where the packages go: a folder Debian's python3.11 has on sys.path already. */
export const PYTHON_PACKAGES_DIR = '/usr/local/lib/python3.11/dist-packages';
/** The matplotlib font cache built at image build time, copied to the writable /tmp at start. */
export const MATPLOTLIB_CACHE_DIR = '/opt/atrium/matplotlib';

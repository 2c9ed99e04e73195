import type { ImageRecipe } from '../recipes.js';
import { collectPythonImageFiles } from './collectPythonImageFiles.js';
import { MATPLOTLIB_CACHE_DIR, PYTHON_RUNNER_DIR } from './paths.js';
import { HOST_PYTHON } from './pythonPackages.js';

/** The interpreter's path inside the image: the host's, unchanged (collectPythonImageFiles keeps paths). */
export const PYTHON_IN_IMAGE = HOST_PYTHON;

/**
 * The Python image: a scratch image over the assembled root filesystem. The one RUN builds
 * matplotlib's font cache (exec form: the image has a shell, but the build must not depend on it),
 * so the first plot in a sandbox does not spend seconds scanning fonts.
 */
export const PYTHON_DOCKERFILE = `FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 MPLCONFIGDIR=${MATPLOTLIB_CACHE_DIR}
RUN ["${PYTHON_IN_IMAGE}", "-c", "import matplotlib.font_manager"]
ENV MPLCONFIGDIR=/tmp/.matplotlib
USER 1000:1000
WORKDIR /tmp
CMD ["${PYTHON_IN_IMAGE}", "${PYTHON_RUNNER_DIR}/atrium_runner/main.py"]
`;

/** Python 3.11 with requirements.txt's packages (transformers, torch CPU, ipykernel…) and the Python runner. */
export const pythonRecipe: ImageRecipe = {
  repository: 'atrium-sandbox-python',
  version: '1',
  dockerfile: PYTHON_DOCKERFILE,
  collect: (onProgress) => collectPythonImageFiles(onProgress),
};

/** The Python runner's command line (kernel mode). */
export function pythonRunnerCommand(): string[] {
  return [PYTHON_IN_IMAGE, `${PYTHON_RUNNER_DIR}/atrium_runner/main.py`];
}

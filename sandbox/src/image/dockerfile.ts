import { APP_DIR, NODE_PATH_IN_IMAGE } from './collectImageFiles.js';

/** The whole recipe: a scratch image over the assembled root filesystem, run as an unprivileged user. */
export const DOCKERFILE = `FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin HOME=/tmp NODE_ENV=production
USER 1000:1000
WORKDIR /tmp
CMD ["${NODE_PATH_IN_IMAGE}", "${APP_DIR}/runner/start.js"]
`;

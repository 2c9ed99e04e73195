export * from './ApiError';
export * from './accounts';
export * from './models';
export * from './notebooks';
export * from './repos';
export * from './request';
export * from './spaces';
export * from './templates';

export * from './ApiError';
export * from './accounts';
export * from './request';
export * from './templates';

export * from './RequireSignIn';
export * from './SessionContext';
export * from './safeNext';

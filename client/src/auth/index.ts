export * from './RequireSignIn';
export * from './SessionContext';

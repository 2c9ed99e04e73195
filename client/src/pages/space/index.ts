export * from './UseViaApi';
export * from './UseViaApiPage';

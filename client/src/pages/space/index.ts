export * from './EmbedPage';
export * from './NewSpace';
export * from './SpacePage';
export * from './UseViaApi';
export * from './UseViaApiPage';

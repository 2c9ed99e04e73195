export * from './EmbedPage';
export * from './NewSpace';
export * from './SpacePage';
export * from './UseViaApi';

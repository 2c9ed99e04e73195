export * from './ExplorePage';
export * from './SearchPage';

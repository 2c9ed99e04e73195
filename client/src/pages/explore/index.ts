export * from './ExplorePage';

export * from './app';
export * from './config';
export * from './compose';
export * from './limits';
export * from './school-directory';
export * from './school-router';
export * from './portal-safelist';
export * from './rate-limit';

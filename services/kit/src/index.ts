import 'reflect-metadata';

export * from './config';
export * from './context';
export * from './errors';
export * from './ids';
export * from './loaders';
export * from './orm';
export * from './server';
export * from './subgraph';
export * from './viewer';
export * from './validation';
export * from './service';
export * from './edits';
export * from './audit';
export * from './idempotency';
export * from './service-account';
export * from './progress-input';

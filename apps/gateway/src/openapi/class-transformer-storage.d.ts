// class-transformer keeps its @Type() metadata here; its package ships the types
// beside the code rather than for this path.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

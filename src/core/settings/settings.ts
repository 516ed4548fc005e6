// The settings API in one import for the layers outside core/settings (inside, import the file that holds it:
// schema, validate, resolve, presets).
export * from './schema';
export * from './validate';
export * from './resolve';

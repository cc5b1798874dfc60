// A default export as TypeScript compiles `export default defineTask(...)` to CommonJS.
Object.defineProperty(module.exports, '__esModule', { value: true });
module.exports.default = { name: 'nightly', handler: async () => 'night' };

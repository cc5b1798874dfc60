// Named exports: two task definitions as plain objects, and exports that are not tasks.
module.exports.report = { name: 'report', queue: 'reports', handler: async ({ data }) => ({ reported: data }) };
module.exports.cleanUp = { name: 'clean-up', handler: async () => 'clean' };
module.exports.helper = function helper() {
  return 'not a task';
};
module.exports.VERSION = '1.0.0';
module.exports.settings = { name: 'not a task either: it has no handler' };

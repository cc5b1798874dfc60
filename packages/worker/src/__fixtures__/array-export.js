// An array of definitions, one of them also exported on its own (it counts once).
const first = { name: 'first', handler: async () => 1 };
const second = { name: 'second', handler: async () => 2 };
module.exports.all = [first, second, 'not a task'];
module.exports.first = first;

// A task definition whose name is empty.
module.exports.broken = { name: '', handler: async () => 'a' };

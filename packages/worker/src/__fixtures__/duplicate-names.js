// Two different definitions with one name.
module.exports.report = { name: 'report', handler: async () => 'a' };
module.exports.otherReport = { name: 'report', handler: async () => 'b' };

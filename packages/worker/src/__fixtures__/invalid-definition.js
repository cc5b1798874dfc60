// A task definition with an invalid retry policy.
module.exports.report = { name: 'report', handler: async () => 'a', retry: { attempts: 0 } };

// The whole module is one task definition.
module.exports = { name: 'single', retry: { attempts: 3 }, handler: async () => 'one' };

// An ES module of tasks, which a sandbox imports rather than requires.
export default [
  {
    name: 'esm-echo',
    handler: async ({ data }) => ({ esm: true, data }),
  },
];

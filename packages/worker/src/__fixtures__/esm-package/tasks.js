// An ES module under a `.js` name, in a package with "type": "module".
export const esmPackageEcho = {
  name: 'esm-package-echo',
  handler: async ({ data }) => ({ esmPackage: true, data }),
};

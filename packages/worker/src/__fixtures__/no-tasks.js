// A module without any task definition.
module.exports.add = (a, b) => a + b;
module.exports.config = { retries: 3 };

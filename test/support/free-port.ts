/** A TCP port on 127.0.0.1 that was free a moment ago (the toolkit's own helper). */
export { findFreePort } from '@sundial/testing';

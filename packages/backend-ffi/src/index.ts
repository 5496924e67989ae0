export { createBackend, FFI_CAPABILITIES, type FfiBackendOptions } from './backend.js'
export { DARWIN_UNVERIFIED, type Layout, LINUX_ARM64, LINUX_X64 } from './platform-linux.js'
export { decodeSockaddr, encodeSockaddr } from './sockaddr.js'

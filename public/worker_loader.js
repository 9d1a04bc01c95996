// The generation worker's loader (in place of Trunk's loader shim, which does the same two
// steps): runs the worker's wasm-bindgen wrapper, then its wasm. A worker whose script or wasm
// does not load (blocked, damaged, a browser without WebAssembly) would otherwise sit silent
// and the page would wait for it forever: a failed import throws here, and a failed wasm load is
// rethrown outside the promise, so both reach the page's `Worker.onerror` with their message.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  setTimeout(() => {
    throw new Error(`the worker's WebAssembly did not load: ${error}`);
  });
});

// A QR code or printed link carries the child's code after "#code=": the fragment
// never reaches the server, so no access log holds it. This fills the code box
// with it and takes it out of the address bar and the browser's history.
export function initCodeFromLink (document) {
  const match = /^#code=([A-Za-z0-9-]{1,40})$/.exec(window.location.hash)
  if (!match) return
  const input = document.querySelector('input[name="code"]')
  if (input && !input.value) input.value = match[1]
  window.history.replaceState(null, '', window.location.pathname + window.location.search)
}

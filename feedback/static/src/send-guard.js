// A double tap on Send submits once. The server is idempotent anyway (the
// form carries a key); this just stops a second request on a slow network.
// The button comes back after 15 seconds in case the first try was lost.

export function initSendGuard (root) {
  root.querySelectorAll('form').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (form.dataset.sending) {
        event.preventDefault()
        return
      }
      form.dataset.sending = 'true'
      setTimeout(() => { delete form.dataset.sending }, 15000)
    })
  })
}

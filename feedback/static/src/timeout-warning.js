// Warn at 8 minutes without activity and extend the session with one tap
// (WCAG 2.2.1); at 10 minutes leave for the "time ran out" page so the next
// person to pick up a shared tablet does not see the answers.

function csrfToken (root) {
  const meta = root.querySelector('meta[name="csrf-token"]')
  return meta ? meta.content : ''
}

export function initTimeoutWarning (root) {
  const dialog = root.getElementById('timeout-warning')
  if (!dialog || typeof dialog.showModal !== 'function') return
  const warnAfter = Number(dialog.dataset.warnAfter) * 1000
  const endAfter = Number(dialog.dataset.endAfter) * 1000
  let timers = []
  let lastPing = Date.now()

  const schedule = () => {
    timers.forEach(clearTimeout)
    timers = [
      setTimeout(() => { if (!dialog.open) dialog.showModal() }, warnAfter),
      setTimeout(() => { window.location.assign(dialog.dataset.timedOut) }, endAfter)
    ]
  }
  const keepAlive = () => {
    lastPing = Date.now()
    schedule()
    return fetch(dialog.dataset.keepalive, {
      method: 'POST', credentials: 'same-origin', headers: { 'X-CSRFToken': csrfToken(root) }
    })
  }

  dialog.addEventListener('close', keepAlive)
  // Typing a long answer is activity too: tell the server at most once a minute.
  root.addEventListener('input', () => { if (Date.now() - lastPing > 60000) keepAlive() })
  schedule()
}

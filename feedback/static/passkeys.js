// Passkeys (WebAuthn): a button with data-passkey="register" or "sign-in" asks the
// browser for a passkey and posts its answer back. No inline script (the CSP forbids it).
const decode = (text) => {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer
}
const encode = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const withBuffers = (options) => {
  const publicKey = { ...options, challenge: decode(options.challenge) }
  if (publicKey.user) publicKey.user = { ...publicKey.user, id: decode(publicKey.user.id) }
  for (const list of ['excludeCredentials', 'allowCredentials']) {
    if (publicKey[list]) publicKey[list] = publicKey[list].map((c) => ({ ...c, id: decode(c.id) }))
  }
  return publicKey
}

const asJSON = (credential) => {
  const response = {}
  for (const field of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']) {
    if (credential.response[field]) response[field] = encode(credential.response[field])
  }
  if (credential.response.getTransports) response.transports = credential.response.getTransports()
  return { id: credential.id, rawId: encode(credential.rawId), type: credential.type, response,
    clientExtensionResults: credential.getClientExtensionResults() }
}

const post = async (url, token, body) => {
  const answer = await fetch(url, { method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token } })
  return answer.json()
}

for (const button of document.querySelectorAll('[data-passkey]')) {
  const problem = document.getElementById(button.dataset.problem)
  button.addEventListener('click', async () => {
    problem.hidden = true
    try {
      const token = button.dataset.csrf
      const publicKey = withBuffers(await post(button.dataset.optionsUrl, token, {}))
      const credential = button.dataset.passkey === 'register'
        ? await navigator.credentials.create({ publicKey })
        : await navigator.credentials.get({ publicKey })
      const name = document.getElementById('passkey-name')
      const result = await post(button.dataset.checkUrl, token,
        { credential: asJSON(credential), name: name ? name.value : '' })
      if (result.redirect) {
        window.location.assign(result.redirect)
        return
      }
    } catch (error) {
      // The person cancelled, or the device refused: say so below.
    }
    problem.hidden = false
  })
}

// "Read this aloud": speak the question (and its answers) with a voice of the
// page's language. When the device has no such voice, say so rather than read
// Arabic or Welsh with an English voice.

function voiceFor (lang) {
  const voices = window.speechSynthesis.getVoices()
  const base = lang.toLowerCase().split('-')[0]
  return voices.find((v) => v.lang.toLowerCase() === lang.toLowerCase()) ||
    voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base)
}

function textToRead (button) {
  const target = document.getElementById(button.dataset.readAloud)
  const parts = [target ? target.textContent : '']
  const fieldset = button.closest('fieldset')
  if (fieldset) {
    fieldset.querySelectorAll('label, .govuk-hint').forEach((el) => parts.push(el.textContent))
  }
  return parts.map((p) => p.trim()).filter(Boolean).join('. ')
}

function setUp (button, lang) {
  const note = document.querySelector(`[data-no-voice-for="${button.dataset.readAloud}"]`)
  const voice = voiceFor(lang)
  button.hidden = !voice
  if (note) note.hidden = Boolean(voice)
  if (!voice || button.dataset.ready) return
  button.dataset.ready = 'true'
  button.addEventListener('click', () => speak(textToRead(button), lang))
}

function speak (text, lang) {
  window.speechSynthesis.cancel()
  const utterance = new window.SpeechSynthesisUtterance(text)
  utterance.voice = voiceFor(lang)
  utterance.lang = lang
  window.speechSynthesis.speak(utterance)
}

// Express picture cards say their word when tapped (a change, however the card was
// tapped), with a voice of the page's language only.
function speakOnTap (root, lang) {
  root.querySelectorAll('[data-speak-on-tap]').forEach((card) => {
    card.addEventListener('change', () => {
      if (voiceFor(lang)) speak(card.textContent.trim(), lang)
    })
  })
}

export function initReadAloud (root) {
  const buttons = root.querySelectorAll('[data-read-aloud]')
  if (!buttons.length || !('speechSynthesis' in window)) return
  const lang = root.documentElement.lang || 'en'
  const refresh = () => buttons.forEach((button) => setUp(button, lang))
  refresh()
  speakOnTap(root, lang)
  window.speechSynthesis.addEventListener('voiceschanged', refresh)
}

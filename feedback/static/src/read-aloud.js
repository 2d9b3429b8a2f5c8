// "Read this aloud": speak the question (and its answers) with a voice of the
// page's language. When the device has no such voice, say so rather than read
// Arabic or Welsh with an English voice.

function voiceFor (lang) {
  const voices = window.speechSynthesis.getVoices()
  const base = lang.toLowerCase().split('-')[0]
  return voices.find((v) => v.lang.toLowerCase() === lang.toLowerCase()) ||
    voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base)
}

// The words of an element, leaving out what is hidden from screen readers (the
// pictures, a button's icon): read-aloud says what a child reads, never decoration.
function wordsOf (element) {
  const copy = element.cloneNode(true)
  copy.querySelectorAll('[aria-hidden="true"], .govuk-visually-hidden').forEach((el) => el.remove())
  return copy.textContent.replace(/\s+/g, ' ').trim()
}

function textToRead (button) {
  const target = document.getElementById(button.dataset.readAloud)
  const parts = [target ? wordsOf(target) : '']
  const fieldset = button.closest('fieldset')
  if (fieldset) {
    fieldset.querySelectorAll('label, .govuk-hint').forEach((el) => parts.push(wordsOf(el)))
  }
  return parts.filter(Boolean).join('. ')
}

// The "no voice" note shows once a journey, on the first page that has it, not on
// every page. The flag holds only the language and that page's path; finishing the
// journey clears it (forgetNoteOutsideJourney).
const NOTED = 'no-voice-noted:'

function noteOnce (note, lang) {
  const here = window.location.pathname
  let shownOn = here
  try {
    shownOn = window.sessionStorage.getItem(NOTED + lang) || here
    window.sessionStorage.setItem(NOTED + lang, shownOn)
  } catch (error) {} // no storage: the note shows on every page, as before
  note.hidden = shownOn !== here
}

function setUp (button, lang) {
  const note = document.querySelector(`[data-no-voice-for="${button.dataset.readAloud}"]`)
  const voice = voiceFor(lang)
  button.hidden = !voice
  if (note && voice) note.hidden = true
  if (note && !voice) noteOnce(note, lang)
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

// Outside a journey (the start and thank-you pages carry no journey's CSRF token),
// forget the note, so the next child on this tablet is told again.
function forgetNoteOutsideJourney (root) {
  if (root.querySelector('meta[name="csrf-token"]')) return
  try {
    Object.keys(window.sessionStorage).filter((key) => key.startsWith(NOTED))
      .forEach((key) => window.sessionStorage.removeItem(key))
  } catch (error) {}
}

export function initReadAloud (root) {
  forgetNoteOutsideJourney(root)
  const buttons = root.querySelectorAll('[data-read-aloud]')
  if (!buttons.length || !('speechSynthesis' in window)) return
  const lang = root.documentElement.lang || 'en'
  const refresh = () => buttons.forEach((button) => setUp(button, lang))
  refresh()
  speakOnTap(root, lang)
  window.speechSynthesis.addEventListener('voiceschanged', refresh)
}

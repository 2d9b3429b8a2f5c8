// Progressive enhancement only: every page works without this file.
import {
  Button, CharacterCount, ErrorSummary, ExitThisPage, NotificationBanner, Radios, createAll, isSupported
} from 'govuk-frontend'

import { initCodeFromLink } from './code-from-link.js'
import { initReadAloud } from './read-aloud.js'
import { initTimeoutWarning } from './timeout-warning.js'
import { initSendGuard } from './send-guard.js'

// GOV.UK Frontend's isSupported() checks for this class on <body>. Its docs add it
// from an inline script; the Content Security Policy allows no inline script, and
// a browser running this module supports ES modules, which is what the class means.
document.body.classList.add('govuk-frontend-supported')
if (isSupported()) {
  for (const component of [Button, CharacterCount, ErrorSummary, ExitThisPage, NotificationBanner, Radios]) {
    createAll(component)
  }
}
initCodeFromLink(document)
initReadAloud(document)
initTimeoutWarning(document)
initSendGuard(document)

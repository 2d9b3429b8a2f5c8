// Progressive enhancement only: every page works without this file.
import {
  Button, CharacterCount, ErrorSummary, ExitThisPage, NotificationBanner, Radios, createAll, isSupported
} from 'govuk-frontend'

import { initCodeFromLink } from './code-from-link.js'
import { initReadAloud } from './read-aloud.js'
import { initTimeoutWarning } from './timeout-warning.js'
import { initSendGuard } from './send-guard.js'

if (isSupported()) {
  document.body.classList.add('govuk-frontend-supported')
  for (const component of [Button, CharacterCount, ErrorSummary, ExitThisPage, NotificationBanner, Radios]) {
    createAll(component)
  }
}
initCodeFromLink(document)
initReadAloud(document)
initTimeoutWarning(document)
initSendGuard(document)

// Enhancement only: every page works without it. Starts GOV.UK Frontend's components.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()

// On a narrow screen a wide table scrolls sideways inside its own box (a region named after
// its caption, reachable with the keyboard), so the page itself never does.
for (const table of document.querySelectorAll('main table.govuk-table')) {
  if (table.closest('[role=region], .jup-figure, .jup-case-table')) continue
  const box = document.createElement('div')
  box.className = 'jup-scroll'
  box.tabIndex = 0
  box.setAttribute('role', 'region')
  const caption = table.caption ? table.caption.textContent.trim() : ''
  box.setAttribute('aria-label', `${caption || 'Table'} (scroll sideways to see every column)`)
  table.parentNode.insertBefore(box, table)
  box.appendChild(table)
}

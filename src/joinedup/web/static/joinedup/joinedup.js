// Enhancement only: every page works without it. Starts GOV.UK Frontend's components.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()

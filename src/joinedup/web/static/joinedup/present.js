// Presentation mode's 7-minute timer (enhancement: without it the page says "7 minutes").
//
// A countdown (m:ss) with Start, Pause and Reset buttons. The time is kept in
// sessionStorage, per briefing, as the moment it was started and the time already used, so
// it keeps running while the presenter moves from part to part (each part is its own page).
// Screen readers hear each whole minute (an aria-live="polite" region), not each second.
// At 0:00 the timer turns "over time": the words "Over time" appear and it counts on.

const TICK_MS = 250

function clock (seconds) {
  const whole = Math.abs(seconds)
  const minutes = Math.floor(whole / 60)
  const rest = String(whole % 60).padStart(2, '0')
  return `${minutes}:${rest}`
}

function minutesWords (minutes) {
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}

function load (key) {
  try {
    const state = JSON.parse(window.sessionStorage.getItem(key) || 'null')
    if (state && typeof state.used === 'number') {
      return { used: state.used, startedAt: typeof state.startedAt === 'number' ? state.startedAt : null }
    }
  } catch (error) {
    // storage unavailable or unreadable: start afresh
  }
  return { used: 0, startedAt: null }
}

function save (key, state) {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(state))
  } catch (error) {
    // storage unavailable (private browsing): the timer still runs on this page
  }
}

export function startPresentationTimer (root) {
  const total = Number(root.dataset.seconds) || 420
  const key = root.dataset.key || 'joinedup-present'
  const box = root.querySelector('[data-timer]')
  const display = root.querySelector('[data-timer-display]')
  const overWords = root.querySelector('[data-timer-over]')
  const announcer = root.querySelector('[data-timer-announce]')
  const controls = root.querySelector('[data-timer-controls]')
  if (!box || !display || !announcer || !controls) return

  let state = load(key)
  let ticking = null

  const used = () => state.used + (state.startedAt === null ? 0 : Date.now() - state.startedAt)
  const left = () => total - Math.floor(used() / 1000)
  let announcedMinute = Math.ceil(Math.max(left(), 0) / 60)

  function say (words) {
    announcer.textContent = words
  }

  function draw () {
    const seconds = left()
    const over = seconds <= 0
    display.textContent = seconds >= 0 ? clock(seconds) : `+${clock(seconds)}`
    box.classList.toggle('jup-present__timer--over', over)
    if (overWords) overWords.hidden = !over
    const minute = Math.ceil(Math.max(seconds, 0) / 60)
    if (minute < announcedMinute) {
      announcedMinute = minute
      say(minute > 0 ? `${minutesWords(minute)} left` : 'Time is up: over time')
    }
  }

  function run () {
    if (ticking === null) ticking = window.setInterval(draw, TICK_MS)
  }

  function stop () {
    if (ticking !== null) window.clearInterval(ticking)
    ticking = null
  }

  root.querySelector('[data-timer-start]').addEventListener('click', () => {
    if (state.startedAt !== null) return
    state = { used: state.used, startedAt: Date.now() }
    save(key, state)
    announcedMinute = Math.ceil(Math.max(left(), 0) / 60)
    say(`Timer started: ${left() > 0 ? minutesWords(announcedMinute) + ' left' : 'over time'}`)
    draw()
    run()
  })

  root.querySelector('[data-timer-pause]').addEventListener('click', () => {
    if (state.startedAt === null) return
    state = { used: used(), startedAt: null }
    save(key, state)
    stop()
    draw()
    say(`Timer paused at ${display.textContent}`)
  })

  root.querySelector('[data-timer-reset]').addEventListener('click', () => {
    state = { used: 0, startedAt: null }
    save(key, state)
    stop()
    announcedMinute = Math.ceil(total / 60)
    draw()
    say(`Timer reset to ${minutesWords(Math.ceil(total / 60))}`)
  })

  controls.hidden = false
  draw()
  if (state.startedAt !== null) run()
}

document.querySelectorAll('[data-present-timer]').forEach(startPresentationTimer)

// Presentation mode (enhancement: without it each slide is a page joined by links, and the
// timer says "7 minutes").
//
// Moving between slides: the arrow keys (right or down: next; left or up: previous), space
// (next; shift+space: previous), Page Down and Page Up, and the Previous and Next links,
// show the slide in place (the page stays in full screen) and put its address in the
// location bar. Escape leaves presentation mode (in full screen the browser's own Escape
// first leaves full screen). A slide whose text would still not fit the screen has its type
// made smaller, step by step, down to body size.
//
// The 7-minute timer:
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

const SMALLEST_TEXT_PX = 19
const NEXT_KEYS = ['ArrowRight', 'ArrowDown', 'PageDown']
const PREVIOUS_KEYS = ['ArrowLeft', 'ArrowUp', 'PageUp']

function fits () {
  const page = document.documentElement
  return page.scrollHeight <= window.innerHeight && page.scrollWidth <= window.innerWidth
}

// Smaller type for the shown slide until the page needs no scrolling (or body size).
function fitSlide (slide) {
  const body = slide.querySelector('[data-slide-body]')
  if (!body) return
  body.style.fontSize = ''
  let size = parseFloat(window.getComputedStyle(body).fontSize)
  while (!fits() && size > SMALLEST_TEXT_PX) {
    size = Math.max(size - 2, SMALLEST_TEXT_PX)
    body.style.fontSize = `${size}px`
  }
}

export function startSlides (root) {
  const slides = Array.from(root.querySelectorAll('[data-slide]'))
  const announcer = root.querySelector('[data-slide-announce]')
  let current = Math.max(slides.findIndex((slide) => !slide.hidden), 0)
  let leftFullScreenAt = 0 // the Escape that ends full screen must not also leave the page

  function show (index, announce) {
    if (index < 0 || index >= slides.length || index === current) return
    slides[current].hidden = true
    current = index
    const slide = slides[current]
    slide.hidden = false
    fitSlide(slide)
    window.history.replaceState(null, '', slide.dataset.address)
    document.title = `${root.dataset.titlePrefix || ''}${slide.dataset.title}${root.dataset.titleSuffix || ''}`
    const heading = slide.querySelector('h2')
    if (heading) {
      heading.setAttribute('tabindex', '-1')
      heading.focus({ preventScroll: true })
    }
    if (announcer && announce) announcer.textContent = slide.querySelector('.jup-present__progress').textContent
  }

  root.addEventListener('click', (event) => {
    const link = event.target.closest('[data-slide-link]')
    if (!link) return
    const index = slides.findIndex((slide) => slide.dataset.address === link.getAttribute('href'))
    if (index < 0) return
    event.preventDefault()
    show(index, true)
  })

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const onControl = event.target.closest && event.target.closest('button, a, input, select, textarea')
    if (event.key === 'Escape') {
      const justLeftFullScreen = Date.now() - leftFullScreenAt < 500
      if (!document.fullscreenElement && !justLeftFullScreen) window.location.assign(root.dataset.leave)
      return
    }
    const space = event.key === ' '
    if (space && onControl) return // space presses the focused button or link
    let step = 0
    if (NEXT_KEYS.includes(event.key) || (space && !event.shiftKey)) step = 1
    if (PREVIOUS_KEYS.includes(event.key) || (space && event.shiftKey)) step = -1
    if (step === 0) return
    event.preventDefault()
    show(current + step, true)
  })

  const fullScreen = root.querySelector('[data-full-screen]')
  if (fullScreen && document.fullscreenEnabled) {
    fullScreen.addEventListener('click', () => {
      const asked = document.fullscreenElement
        ? document.exitFullscreen()
        : document.documentElement.requestFullscreen()
      asked.catch(() => {})
    })
    document.addEventListener('fullscreenchange', () => {
      fullScreen.textContent = document.fullscreenElement ? 'Leave full screen' : 'Full screen'
      if (!document.fullscreenElement) leftFullScreenAt = Date.now()
      fitSlide(slides[current])
    })
  } else if (fullScreen) {
    fullScreen.hidden = true
  }
  window.addEventListener('resize', () => fitSlide(slides[current]))
  if (slides.length) fitSlide(slides[current])
}

document.querySelectorAll('[data-present]').forEach(startSlides)

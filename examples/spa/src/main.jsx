import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { atrack } from './analytics'
import { routes } from './routes'

const router = createBrowserRouter(routes)

// Start A-Track once the router has settled the landing URL: a redirect on arrival
// (/old-pricing → /pricing) then counts as one page view, of the page the visitor sees.
// From then on the SDK sends a page_view for each route change by itself.
if (router.state.initialized) atrack.init()
else {
  const stop = router.subscribe((state) => {
    if (!state.initialized) return
    stop()
    atrack.init()
  })
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
)

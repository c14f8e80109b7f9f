import { useEffect, useState } from 'react'
import { Link, NavLink, Outlet, redirect, useNavigate, useParams, useSearchParams, type RouteObject } from 'react-router'
import { atrack, type Plan } from './analytics'
import { DOCS, fetchDoc, type DocPage } from './docs'

function Layout() {
  // Start A-Track once the router has settled the landing URL and the first page has rendered: a
  // redirect on arrival (/old-pricing → /pricing) is one page view, of the page the visitor sees,
  // with its title. (The layout renders once the router is initialised; init() is idempotent, so
  // StrictMode's second effect changes nothing.) From then on the SDK sends a page_view for each
  // route change by itself, with the title the new page settles on.
  useEffect(() => void atrack.init(), [])
  return (
    <div className="app">
      <nav>
        <Link className="brand" to="/">Ledgerly</Link>
        <NavLink to="/" end>Home</NavLink>
        <NavLink to="/pricing">Pricing</NavLink>
        <NavLink to="/docs">Docs</NavLink>
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  )
}

function Home() {
  return (
    <>
      <title>Ledgerly · invoices that get paid</title>
      <h1>Invoices that get paid</h1>
      <p>Send invoices, chase late payers, see your cash flow. <Link to="/pricing">See pricing</Link>.</p>
    </>
  )
}

function Pricing() {
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const yearly = params.get('billing') === 'yearly'
  const choose = async (plan: Plan) => {
    atrack.track('plan_chosen', { plan }) // on this page, before leaving it
    await navigate(`/signup?plan=${plan}`)
    atrack.track('signup_started', { plan }) // on the next page: it follows that page's page_view
  }
  return (
    <>
      <title>Pricing · Ledgerly</title>
      <h1>Pricing</h1>
      {/* only the query string changes: the same page, no new page view */}
      <button onClick={() => setParams(yearly ? {} : { billing: 'yearly' })}>{yearly ? 'Show monthly prices' : 'Show yearly prices'}</button>
      <ul className="plans">
        <li>Free · €0 <button onClick={() => choose('free')}>Choose Free</button></li>
        <li>Pro · {yearly ? '€190 a year' : '€19 a month'} <button onClick={() => choose('pro')}>Choose Pro</button></li>
      </ul>
    </>
  )
}

function Signup() {
  const [params] = useSearchParams()
  return (
    <>
      <title>Sign up · Ledgerly</title>
      <h1>Sign up for {params.get('plan') === 'pro' ? 'Pro' : 'Free'}</h1>
      <p>(A form would be here.)</p>
    </>
  )
}

/** The doc of `slug` once loaded; while the next one loads, the one before stays on screen. */
function useDoc(slug: string): DocPage | undefined {
  const [doc, setDoc] = useState<DocPage>()
  useEffect(() => {
    let current = true
    fetchDoc(slug).then((loaded) => current && setDoc(loaded))
    return () => void (current = false)
  }, [slug])
  return doc
}

function Doc() {
  const { slug = '' } = useParams()
  const doc = useDoc(slug)
  if (!doc) return <p>Loading…</p>
  return (
    <>
      <title>{`${doc.title} · Ledgerly docs`}</title>
      <h1>{doc.title}</h1>
      <p>{doc.text}</p>
      <ul>
        {Object.entries(DOCS).map(([key, { title }]) => (
          <li key={key}><Link to={`/docs/${key}`}>{title}</Link></li>
        ))}
      </ul>
      <button onClick={() => atrack.track('doc_rated', { doc: slug, helpful: true })}>This page helped</button>
    </>
  )
}

function NotFound() {
  return (
    <>
      <title>Not found · Ledgerly</title>
      <h1>Not found</h1>
      <Link to="/">Home</Link>
    </>
  )
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/pricing', element: <Pricing /> },
      { path: '/signup', element: <Signup /> },
      // Redirects in loaders run before the URL changes: the history gets the target only, so
      // the SDK sees one navigation. (A <Navigate> rendered after the URL changed would show the
      // intermediate path to the SDK as a page of its own.)
      { path: '/docs', loader: () => redirect('/docs/getting-started') },
      { path: '/docs/:slug', element: <Doc /> },
      { path: '/old-pricing', loader: () => redirect('/pricing') },
      { path: '*', element: <NotFound /> },
    ],
  },
]

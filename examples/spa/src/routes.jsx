import { Link, NavLink, Outlet, redirect, useNavigate, useParams, useSearchParams } from 'react-router'
import { atrack } from './analytics'

const DOCS = {
  'getting-started': ['Getting started', 'Install the package, create one client, call init().'],
  'typed-events': ['Typed events', 'createATrack<Events>() checks event names and attributes at compile time.'],
}

function Layout() {
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
  const choose = (plan) => {
    atrack.track('plan_chosen', { plan })
    navigate(`/signup?plan=${plan}`)
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

function Doc() {
  const { slug } = useParams()
  const [title, text] = DOCS[slug] || ['Not found', `No page ${slug}.`]
  return (
    <>
      <title>{`${title} · Ledgerly docs`}</title>
      <h1>{title}</h1>
      <p>{text}</p>
      <ul>
        {Object.entries(DOCS).map(([key, [name]]) => (
          <li key={key}><Link to={`/docs/${key}`}>{name}</Link></li>
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

export const routes = [
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

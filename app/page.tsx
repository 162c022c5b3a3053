export default function Home() {
  return (
    <main>
      <h1>Tasks</h1>
      <p>A task list with a public REST API. See the README for the API.</p>
    </main>
  );
}

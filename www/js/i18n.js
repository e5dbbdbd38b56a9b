// Translation of the UI's text after it is rendered: every text node whose text (trimmed)
// is a known English phrase is replaced, and sentences with names or numbers in them are
// matched by patterns. Pages stay written in English; a language is a table here.
// Language: localStorage "lang" (set by the header button), else the browser's.
// Node names, addresses and messages from the node itself are left as they are.

const ES = {
  'Status': 'Estado', 'Nodes': 'Nodos', 'Internet': 'Internet', 'My mesh': 'Mi red',
  'Settings': 'Ajustes', 'Loading…': 'Cargando…', 'Apply now': 'Aplicar ahora', 'Discard': 'Descartar',
  'These changes could not be applied, so the node keeps its previous settings. Reason:':
    'No se pudieron aplicar estos cambios, así que el nodo mantiene su configuración anterior. Motivo:',
  'Open Settings and enter the admin password to apply.': 'Abrí Ajustes e ingresá la contraseña de administración para aplicar.',
  'Open Settings and enter the admin password first.': 'Primero abrí Ajustes e ingresá la contraseña de administración.',
  'Admin password': 'Contraseña de administración', 'Password': 'Contraseña', 'Enter': 'Entrar',
  'Changing settings needs the shared admin password of your community network. Ask the people who set up the network if you do not know it.':
    'Para cambiar ajustes hace falta la contraseña compartida de administración de tu red comunitaria. Si no la sabés, preguntá a quienes armaron la red.',
  'That is not the admin password.': 'Esa no es la contraseña de administración.',
  'Leave admin mode on this phone?': '¿Salir del modo administración en este teléfono?',
  'Admin ✓': 'Admin ✓',
  // status
  'Yes, this node reaches the internet': 'Sí, este nodo llega a internet',
  'No internet right now': 'Ahora no hay internet',
  'The way your traffic goes out:': 'El camino por el que sale tu tráfico:',
  'This node': 'Este nodo',
  'This node is itself connected to the internet (it is a gateway).': 'Este nodo tiene su propia conexión a internet (es una puerta de salida).',
  'No node of the mesh announces an internet connection at the moment.': 'Ahora ningún nodo de la red anuncia una conexión a internet.',
  'Nodes this node talks to directly, by radio or cable.': 'Nodos con los que este nodo habla directamente, por radio o cable.',
  'No neighbours heard yet. Other nodes appear here a few seconds after they come in range.':
    'Todavía no se escuchó ningún vecino. Los otros nodos aparecen aquí unos segundos después de quedar al alcance.',
  'The routing service (babeld) is not running, so neighbours cannot be shown.':
    'El servicio de ruteo (babeld) no está funcionando, así que no se pueden mostrar los vecinos.',
  '(gateway)': '(salida)', 'Good link': 'Enlace bueno', 'Fair link': 'Enlace regular', 'Weak link': 'Enlace débil',
  'Name': 'Nombre', 'Running for': 'Encendido hace', 'Addresses': 'Direcciones',
  'Notes': 'Notas', 'A notebook for everyone who looks after this node.': 'Un cuaderno para quienes cuidan este nodo.',
  'Save notes': 'Guardar notas', 'Notes saved.': 'Notas guardadas.',
  'Tap an online node to open its own page.': 'Tocá un nodo en línea para abrir su propia página.',
  // nodes
  'Every node of the mesh this node has heard of. A node is “gone” when it stopped answering: it may be switched off or out of range.':
    'Todos los nodos de la red que este nodo conoce. Un nodo “no responde” cuando dejó de contestar: puede estar apagado o fuera de alcance.',
  'online': 'en línea', 'gone': 'no responde', 'gateway': 'salida a internet',
  'No other node known yet.': 'Todavía no se conoce ningún otro nodo.',
  // gateways
  'Gateway in use': 'Salida a internet en uso',
  'This node has its own internet connection and shares it with the mesh.': 'Este nodo tiene su propia conexión a internet y la comparte con la red.',
  'Your traffic to the internet leaves the mesh at': 'Tu tráfico hacia internet sale de la red por',
  'No gateway is reachable right now.': 'Ahora no se llega a ninguna salida a internet.',
  'A gateway is a node with an internet connection that it shares with the whole mesh.':
    'Una salida a internet es un nodo con conexión a internet que la comparte con toda la red.',
  'No node announces an internet connection.': 'Ningún nodo anuncia una conexión a internet.',
  'in use': 'en uso', 'available': 'disponible', 'Preferred gateway': 'Salida preferida',
  'Normally the mesh picks the best gateway by itself. You can prefer one, for example the one your community pays for.':
    'Normalmente la red elige sola la mejor salida. Podés preferir una, por ejemplo la que paga tu comunidad.',
  'Automatic — the closest working gateway (recommended)': 'Automática: la salida más cercana que funcione (recomendado)',
  'Save choice': 'Guardar elección', 'Enter the admin password in Settings first.': 'Primero ingresá la contraseña de administración en Ajustes.',
  'Saved. Press “Apply now” at the top to use it.': 'Guardado. Tocá “Aplicar ahora” arriba para usarlo.',
  // mesh
  'This node ': 'Este nodo ', 'What you see': 'Qué estás viendo',
  'A direct link — green is good, yellow fair, red weak': 'Un enlace directo: verde es bueno, amarillo regular, rojo débil',
  'Reached through that neighbour': 'Se llega a través de ese vecino',
  'Gateway: shares its internet connection': 'Salida a internet: comparte su conexión',
  'A node that is gone (off or out of range)': 'Un nodo que no responde (apagado o fuera de alcance)',
  'Your node': 'Tu nodo', 'Links.': 'Enlaces.', 'Clouds.': 'Nubes.', 'Gateways.': 'Salidas a internet.',
  'Nodes pass your data along from one to the next, by radio or cable, until it arrives. If one link fails, the mesh finds another way by itself.':
    'Los nodos se pasan tus datos de uno a otro, por radio o cable, hasta que llegan. Si un enlace falla, la red encuentra sola otro camino.',
  'None of your neighbours is in your cloud: they belong to other clouds, reached through the mesh.':
    'Ninguno de tus vecinos está en tu nube: pertenecen a otras nubes, a las que se llega a través de la red.',
  'Some nodes share an internet connection with everyone. Yours goes out through':
    'Algunos nodos comparten una conexión a internet con todos. La tuya sale por',
  'This node shares its own internet connection with everyone.': 'Este nodo comparte su propia conexión a internet con todos.',
  'Nodes that share an internet connection are called gateways. None is reachable right now.':
    'Los nodos que comparten una conexión a internet se llaman salidas. Ahora no se llega a ninguna.',
  // settings
  'Node name': 'Nombre del nodo',
  'A short name for this node, e.g. the place where it is: lowercase letters, digits and “-”.':
    'Un nombre corto para este nodo, por ejemplo el lugar donde está: minúsculas, números y “-”.',
  'Save': 'Guardar', 'This node’s Wi-Fi': 'El Wi-Fi de este nodo',
  'The Wi-Fi network only this node offers, besides the community one.': 'La red Wi-Fi que ofrece solo este nodo, además de la comunitaria.',
  'Wi-Fi name': 'Nombre del Wi-Fi', 'Wi-Fi password': 'Contraseña del Wi-Fi',
  'Leave empty for an open network; otherwise at least 8 characters.': 'Dejalo vacío para una red abierta; si no, al menos 8 caracteres.',
  'Community network': 'Red comunitaria', 'Community network name': 'Nombre de la red comunitaria',
  'The name of the Wi-Fi network shared by all nodes of the community. Nodes with the same name form one “cloud”: phones move between them without losing the connection. Change it only if your whole community does.':
    'El nombre de la red Wi-Fi que comparten todos los nodos de la comunidad. Los nodos con el mismo nombre forman una “nube”: los teléfonos pasan de uno a otro sin perder la conexión. Cambialo solo si toda tu comunidad lo cambia.',
  'Shared admin password': 'Contraseña compartida de administración',
  'The password your community uses to change settings on any node. At least 10 characters with a letter and a digit. It changes right away.':
    'La contraseña que usa tu comunidad para cambiar ajustes en cualquier nodo. Al menos 10 caracteres, con una letra y un número. Cambia en el momento.',
  'New password': 'Contraseña nueva', 'Type it again': 'Escribila otra vez',
  'Set up again': 'Configurar de nuevo', 'Join another network found nearby, or create a new one.': 'Unirse a otra red cercana, o crear una nueva.',
  'Open the first-boot wizard': 'Abrir el asistente de primer inicio',
  'Saved as a pending change. Press “Apply now” at the top when you are ready.': 'Guardado como cambio pendiente. Tocá “Aplicar ahora” arriba cuando estés listo.',
  'The admin password was changed.': 'Se cambió la contraseña de administración.',
  'Use 3 to 32 lowercase letters, digits or “-”.': 'Usá de 3 a 32 minúsculas, números o “-”.',
  'The Wi-Fi password needs at least 8 characters.': 'La contraseña del Wi-Fi necesita al menos 8 caracteres.',
  'Give a name without “/”.': 'Poné un nombre sin “/”.',
  'Use at least 10 characters, with a letter and a digit.': 'Usá al menos 10 caracteres, con una letra y un número.',
  'The two passwords are different.': 'Las dos contraseñas son distintas.',
  // wizard
  'Welcome': 'Bienvenida', 'This node is new. Let’s connect it to a community network.': 'Este nodo es nuevo. Conectémoslo a una red comunitaria.',
  'Join a network nearby': 'Unirse a una red cercana', 'Create a new network': 'Crear una red nueva', 'Not now': 'Ahora no',
  'Join a network': 'Unirse a una red', 'Looking for networks nearby…': 'Buscando redes cercanas…',
  'No network was found nearby.': 'No se encontró ninguna red cerca.',
  'Nodes of a network show up here when this node can hear them. Move closer, check the cable or antenna, and search again — or create a new network.':
    'Los nodos de una red aparecen aquí cuando este nodo los escucha. Acercate, revisá el cable o la antena y buscá otra vez, o creá una red nueva.',
  'Search again': 'Buscar otra vez', 'Back': 'Volver', 'Join this network': 'Unirse a esta red',
  'Name for this node': 'Nombre para este nodo',
  'e.g. the place where it is: lowercase letters, digits and “-”.': 'por ejemplo el lugar donde está: minúsculas, números y “-”.',
  'Choose a network first.': 'Primero elegí una red.', 'Create a network': 'Crear una red', 'Network name': 'Nombre de la red',
  'The Wi-Fi name all nodes of your community will share, e.g. your neighbourhood.': 'El nombre de Wi-Fi que compartirán todos los nodos de tu comunidad, por ejemplo tu barrio.',
  'Admin password for the network': 'Contraseña de administración de la red',
  'Shared by the people who look after the network. At least 10 characters, a letter and a digit.':
    'La comparten quienes cuidan la red. Al menos 10 caracteres, una letra y un número.',
  'Create network': 'Crear la red', 'Setting up': 'Configurando', 'Done!': '¡Listo!',
  'Phones connected to the old Wi-Fi may need to reconnect to the new one.': 'Los teléfonos conectados al Wi-Fi anterior quizás tengan que conectarse al nuevo.',
  'See the status': 'Ver el estado', 'Setup failed': 'La configuración falló', 'Back to the wizard': 'Volver al asistente',
  'The node name needs 3 to 32 lowercase letters, digits or “-”.': 'El nombre del nodo necesita de 3 a 32 minúsculas, números o “-”.',
  'The admin password needs at least 10 characters, with a letter and a digit.': 'La contraseña de administración necesita al menos 10 caracteres, con una letra y un número.',
  'Give the network a name (up to 28 characters, no “/”).': 'Poné un nombre a la red (hasta 28 caracteres, sin “/”).',
};

// Sentences with names or numbers: [pattern, replacement].
const ES_PATTERNS = [
  [/^Neighbours \((\d+)\)$/, 'Vecinos ($1)'],
  [/^Gateways in the mesh \((\d+)\)$/, 'Salidas a internet de la red ($1)'],
  [/^Networks found \((\d+)\)$/, 'Redes encontradas ($1)'],
  [/^(\d+) online$/, '$1 en línea'],
  [/^, (\d+) gone$/, ', $1 sin responder'],
  [/^ — plus this node, (.+)\.$/, ' — más este nodo, $1.'],
  [/^ · gone for (.+)$/, ' · sin responder hace $1'],
  [/^(.+) · via (.+?)( · same cloud)?( \(layer 2 only\))?$/, (m, a, b, c, d) => `${a} · por ${b}${c ? ' · misma nube' : ''}${d ? ' (solo capa 2)' : ''}`],
  [/^(.+) · route cost (\d+) \(lower is closer\)$/, '$1 · costo de ruta $2 (menor es más cerca)'],
  [/^(\d+) changes? waiting to be applied$/, (m, n) => (n === '1' ? '1 cambio por aplicar' : `${n} cambios por aplicar`)],
  [/^(.+) \(gateway\)$/, '$1 (salida)'],
  [/^(.+) \(in use now\)$/, '$1 (en uso ahora)'],
  [/^network “(.+)”$/, 'red “$1”'],
  [/^cloud “(.+)”$/, 'nube “$1”'],
  [/^ talks directly to (\d+) neighbours?, and through them reaches (\d+) nodes? of the mesh in all\.$/,
    ' habla directamente con $1 vecino(s), y a través de ellos llega a $2 nodo(s) de la red en total.'],
  [/^Nodes that share the same Wi-Fi name — here “(.+)” — form a cloud: your phone can walk from one to another and keep its connection and address\.$/,
    'Los nodos que comparten el mismo nombre de Wi-Fi —aquí “$1”— forman una nube: tu teléfono puede pasar de uno a otro y mantener su conexión y su dirección.'],
  [/^The shaded area is your cloud: (\w+) of your neighbours (is|are) in it\.$/, (m, n) => `La zona sombreada es tu nube: ${n === 'all' ? 'todos' : n} de tus vecinos ${n === '1' ? 'está' : 'están'} en ella.`],
  [/^ — heard from (.+), (good|fair|weak) signal$/, (m, h, q) => ` — escuchada desde ${h}, señal ${{ good: 'buena', fair: 'regular', weak: 'débil' }[q]}`],
  [/^Configuring this node for (.+)…$/, 'Configurando este nodo para $1…'],
  [/^This node is now part of (.+)\. Its name is$/, 'Este nodo ahora es parte de $1. Su nombre es'],
  [/^This page could not load: (.+)$/, 'Esta página no pudo cargar: $1'],
  [/^(\d+) (s|min|h)$/, '$1 $2'],
  [/^(\d+) h (\d+) min$/, '$1 h $2 min'],
  [/^(\d+) days? (\d+) h$/, '$1 día(s) $2 h'],
];

const TABLES = { es: [ES, ES_PATTERNS] };

export const lang = ((localStorage.getItem('lang') || navigator.language || 'en').slice(0, 2)).toLowerCase();

function translate(text) {
  const [dict, patterns] = TABLES[lang];
  const lead = text.match(/^\s*/)[0], trail = text.match(/\s*$/)[0];
  const core = text.trim();
  if (!core) return text;
  if (dict[core]) return lead + dict[core] + trail;
  for (const [re, rep] of patterns) if (re.test(text)) return text.replace(re, rep);
  for (const [re, rep] of patterns) if (re.test(core)) return lead + core.replace(re, rep) + trail;
  return text;
}

function walk(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const t = translate(node.nodeValue);
    if (t !== node.nodeValue) node.nodeValue = t;
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE || node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return;
  for (const c of node.childNodes) walk(c);
}

// Starts translating the document if the language has a table; returns whether it did.
export function startTranslation() {
  if (!TABLES[lang]) return false;
  document.documentElement.lang = lang;
  walk(document.body);
  new MutationObserver(muts => {
    for (const m of muts) {
      if (m.type === 'characterData') walk(m.target);
      for (const n of m.addedNodes) walk(n);
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  const origConfirm = window.confirm.bind(window);
  window.confirm = (q) => origConfirm(translate(q));
  return true;
}

// The header's language button: English ↔ Español.
export function toggleLanguage() {
  localStorage.setItem('lang', lang === 'es' ? 'en' : 'es');
  location.reload();
}

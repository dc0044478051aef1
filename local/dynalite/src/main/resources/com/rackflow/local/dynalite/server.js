'use strict'
// dynalite's own server, as its cli.js starts it, with one change: idle keep-alive connections stay open. Node closes
// an idle connection after 5 s by default; a request that the front's pooled connection sends at that moment is lost
// without an answer ("header parser received no bytes"). The front's HTTP client closes its idle connections itself.
// usage: node server.js <dynalite module folder> <port> <host> [<data folder>]
const [moduleDir, port, host, dataPath] = process.argv.slice(2)
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }
if (dataPath) options.path = dataPath
const server = require(moduleDir)(options)
server.keepAliveTimeout = 0
server.listen(Number(port), host, () => console.log('Dynalite listening at: http://%s:%d', host, server.address().port))

// Conformance of the Binance sandbox server with Binance's OFFICIAL JavaScript connector (@binance/spot).
// Where the connector and the sandbox disagree, the connector is right.
//
// Usage: node conformance.mjs --rest URL --ws-api URL --streams URL --api-key KEY --secret-key SECRET [--symbol XRPUSDT]
//    or: SANDBOX_REST_URL, SANDBOX_WS_API_URL, SANDBOX_STREAM_URL, SANDBOX_API_KEY, SANDBOX_SECRET_KEY, SANDBOX_SYMBOL
// Prints one line per check ("PASS name" / "FAIL name: why") and a summary line; exits 0 only if all passed.
// The order-filling trade is replayed through the sandbox's control endpoint POST /sandbox/trades.
import { readFileSync } from 'node:fs';
import { Spot } from '@binance/spot';

const args = parseArgs(process.argv.slice(2));
const config = {
    rest: args['rest'] ?? process.env.SANDBOX_REST_URL,
    wsApi: args['ws-api'] ?? process.env.SANDBOX_WS_API_URL,
    streams: args['streams'] ?? process.env.SANDBOX_STREAM_URL,
    apiKey: args['api-key'] ?? process.env.SANDBOX_API_KEY,
    secretKey: args['secret-key'] ?? process.env.SANDBOX_SECRET_KEY,
    symbol: args['symbol'] ?? process.env.SANDBOX_SYMBOL ?? 'XRPUSDT',
};
for (const [name, value] of Object.entries(config)) {
    if (!value) {
        console.error(`missing ${name}: pass --rest/--ws-api/--streams/--api-key/--secret-key or the SANDBOX_* variables`);
        process.exit(2);
    }
}

const results = [];
const run = Date.now().toString(36);
const symbol = config.symbol;

// The connector's own base-URL options: configurationRestAPI.basePath and configurationWebsocket*.wsURL.
const client = new Spot({
    configurationRestAPI: { apiKey: config.apiKey, apiSecret: config.secretKey, basePath: config.rest },
    configurationWebsocketAPI: { apiKey: config.apiKey, apiSecret: config.secretKey, wsURL: config.wsApi, timeout: 5000 },
    configurationWebsocketStreams: { wsURL: config.streams },
});

let streamConnection;
let apiConnection;
const executionReports = [];
const trades = [];
const waiters = [];

try {
    await check('REST time: serverTime close to local clock', async () => {
        const data = await (await client.restAPI.time()).data();
        assert(typeof data.serverTime === 'number' || typeof data.serverTime === 'bigint', `serverTime ${data.serverTime}`);
        assert(Math.abs(Number(data.serverTime) - Date.now()) < 5000, `serverTime ${data.serverTime} vs ${Date.now()}`);
    });

    let filters;
    await check(`REST exchangeInfo(${symbol}): PRICE_FILTER, LOT_SIZE and (MIN_)NOTIONAL as strings`, async () => {
        const response = await client.restAPI.exchangeInfo({ symbol });
        const data = await response.data();
        assert(data.symbols.length === 1 && data.symbols[0].symbol === symbol, `symbols ${JSON.stringify(data.symbols.map((s) => s.symbol))}`);
        filters = Object.fromEntries(data.symbols[0].filters.map((f) => [f.filterType, f]));
        assert(typeof filters.PRICE_FILTER?.tickSize === 'string', 'PRICE_FILTER.tickSize');
        assert(typeof filters.LOT_SIZE?.stepSize === 'string', 'LOT_SIZE.stepSize');
        assert(typeof (filters.NOTIONAL ?? filters.MIN_NOTIONAL)?.minNotional === 'string', 'NOTIONAL.minNotional');
        assert(response.rateLimits.some((l) => l.rateLimitType === 'REQUEST_WEIGHT' && l.count > 0), `rateLimits ${JSON.stringify(response.rateLimits)}`);
    });

    await check('REST getAccount: balances with free/locked strings', async () => {
        const data = await (await client.restAPI.getAccount()).data();
        assert(Array.isArray(data.balances) && data.balances.length > 0, 'no balances');
        assert(data.balances.every((b) => typeof b.free === 'string' && typeof b.locked === 'string'), JSON.stringify(data.balances[0]));
        assert(data.canTrade === true, 'canTrade');
    });

    await check('REST signed call with a wrong secret: -1022', async () => {
        const bad = new Spot({ configurationRestAPI: { apiKey: config.apiKey, apiSecret: 'wrong-secret', basePath: config.rest } });
        const error = await bad.restAPI.getAccount().then(() => null, (e) => e);
        assert(error && error.code === -1022, `got ${describe(error)}`);
    });

    await check('REST signed call with an unknown API key: -2015 (401)', async () => {
        const bad = new Spot({ configurationRestAPI: { apiKey: 'unknown-key', apiSecret: config.secretKey, basePath: config.rest } });
        const error = await bad.restAPI.getAccount().then(() => null, (e) => e);
        assert(error && error.code === -2015 && error.name === 'UnauthorizedError', `got ${describe(error)}`);
    });

    await check(`Streams: connect and subscribe to ${symbol.toLowerCase()}@trade`, async () => {
        streamConnection = await client.websocketStreams.connect();
        const stream = streamConnection.trade({ symbol });
        stream.on('message', (data) => {
            trades.push(data);
            notify();
        });
        await sleep(300);
    });

    let subscriptionId;
    await check('WebSocket API: userDataStream.subscribe.signature returns a subscriptionId', async () => {
        apiConnection = await client.websocketAPI.connect();
        const { response, stream } = await apiConnection.userDataStreamSubscribeSignature();
        subscriptionId = response.data.subscriptionId;
        assert(typeof subscriptionId === 'number', `subscriptionId ${JSON.stringify(response.data)}`);
        stream.on('message', (data) => {
            executionReports.push(data);
            notify();
        });
    });

    await check('WebSocket API: time', async () => {
        const response = await apiConnection.time();
        assert(Math.abs(Number(response.data.serverTime) - Date.now()) < 5000, JSON.stringify(response.data));
        assert(Array.isArray(response.rateLimits), 'rateLimits');
    });

    const restingId = `conf-rest-${run}`;
    let restingOrderId;
    await check('REST newOrder LIMIT GTC with newClientOrderId: NEW, numbers as 8-decimal strings, order counters', async () => {
        const response = await client.restAPI.newOrder({
            symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 100, price: 0.1, newClientOrderId: restingId,
        });
        const data = await response.data();
        restingOrderId = Number(data.orderId);
        assert(data.clientOrderId === restingId, `clientOrderId ${data.clientOrderId}`);
        assert(data.status === 'NEW', `status ${data.status}`);
        assert(data.price === '0.10000000' && data.origQty === '100.00000000', `price ${data.price} origQty ${data.origQty}`);
        assert(Array.isArray(data.fills), 'FULL response has fills');
        assert(response.rateLimits.some((l) => l.rateLimitType === 'ORDERS' && l.interval === 'SECOND' && l.intervalNum === 10), `rateLimits ${JSON.stringify(response.rateLimits)}`);
    });

    await check('REST getOrder by origClientOrderId: NEW', async () => {
        const data = await (await client.restAPI.getOrder({ symbol, origClientOrderId: restingId })).data();
        assert(Number(data.orderId) === restingOrderId && data.status === 'NEW', JSON.stringify(data));
    });

    await check('REST getOpenOrders lists the order', async () => {
        const data = await (await client.restAPI.getOpenOrders({ symbol })).data();
        assert(data.some((o) => Number(o.orderId) === restingOrderId), JSON.stringify(data));
    });

    await check('REST deleteOrder: CANCELED', async () => {
        const data = await (await client.restAPI.deleteOrder({ symbol, origClientOrderId: restingId })).data();
        assert(data.status === 'CANCELED' && data.origClientOrderId === restingId, JSON.stringify(data));
    });

    await check('REST getOrder unknown id: -2013', async () => {
        const error = await client.restAPI.getOrder({ symbol, origClientOrderId: `missing-${run}` }).then(() => null, (e) => e);
        assert(error && error.code === -2013, `got ${describe(error)}`);
    });

    await check('User data: executionReports NEW then CANCELED for the resting order', async () => {
        await waitFor(() => executionReports.some((r) => r.e === 'executionReport' && Number(r.i) === restingOrderId && r.x === 'CANCELED'), 'CANCELED report');
        const mine = executionReports.filter((r) => Number(r.i) === restingOrderId);
        assert(mine[0].x === 'NEW' && mine[0].X === 'NEW' && mine[0].c === restingId && mine[0].t === -1, JSON.stringify(mine[0]));
        const canceled = mine.find((r) => r.x === 'CANCELED');
        assert(canceled.X === 'CANCELED' && canceled.C === restingId, JSON.stringify(canceled));
    });

    const fillId = `conf-fill-${run}`;
    let fillOrderId;
    await check('WebSocket API order.place: NEW', async () => {
        const response = await apiConnection.orderPlace({
            symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 20, price: 0.7, newClientOrderId: fillId,
        });
        fillOrderId = Number(response.data.orderId);
        assert(response.data.status === 'NEW' && response.data.clientOrderId === fillId, JSON.stringify(response.data));
    });

    await check('WebSocket API order.status: NEW', async () => {
        const response = await apiConnection.orderStatus({ symbol, origClientOrderId: fillId });
        assert(response.data.status === 'NEW' && Number(response.data.orderId) === fillOrderId, JSON.stringify(response.data));
    });

    await check('Replay: a trade below the limit fills the order; executionReport TRADE/FILLED with l, z, L, n, N, t', async () => {
        const reply = await fetch(`${config.rest}/sandbox/trades?speed=0`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify([{ symbol, price: '0.6000', qty: '50' }]),
        });
        assert(reply.ok, `POST /sandbox/trades: HTTP ${reply.status} ${await reply.text()}`);
        await waitFor(() => executionReports.some((r) => Number(r.i) === fillOrderId && r.x === 'TRADE'), 'TRADE report');
        const fill = executionReports.find((r) => Number(r.i) === fillOrderId && r.x === 'TRADE');
        assert(fill.X === 'FILLED' && fill.c === fillId && fill.S === 'BUY', JSON.stringify(fill));
        assert(fill.l === '20.00000000' && fill.z === '20.00000000' && fill.L === '0.70000000', `l ${fill.l} z ${fill.z} L ${fill.L}`);
        assert(typeof fill.n === 'string' && Number(fill.n) > 0 && typeof fill.N === 'string', `n ${fill.n} N ${fill.N}`);
        assert(Number(fill.t) >= 0 && typeof fill.T !== 'undefined' && typeof fill.E !== 'undefined', `t ${fill.t}`);
    });

    await check(`Streams: the replayed trade arrives on ${symbol.toLowerCase()}@trade`, async () => {
        await waitFor(() => trades.some((t) => t.p === '0.60000000'), 'trade event');
        const trade = trades.find((t) => t.p === '0.60000000');
        assert(trade.e === 'trade' && trade.s === symbol && trade.q === '50.00000000' && typeof trade.m === 'boolean', JSON.stringify(trade));
        assert(!('b' in trade) && !('a' in trade), 'b/a fields were removed in 2024');
    });

    await check('REST myTrades lists the fill', async () => {
        const data = await (await client.restAPI.myTrades({ symbol })).data();
        const mine = data.filter((t) => Number(t.orderId) === fillOrderId);
        assert(mine.length === 1 && mine[0].qty === '20.00000000' && mine[0].isBuyer === true, JSON.stringify(data));
    });

    await check('WebSocket API account.status shows the bought base asset', async () => {
        const response = await apiConnection.accountStatus();
        const base = symbol.replace(/(USDT|BUSD|BTC|ETH|BNB)$/, '');
        const balance = response.data.balances.find((b) => b.asset === base);
        assert(balance && Number(balance.free) > 0, JSON.stringify(response.data.balances));
    });

    const takerId = `conf-taker-${run}`;
    let takerOrderId;
    await check('REST newOrder crossing the last trade (0.6): FILLED at once as taker, FULL fills at the trade price', async () => {
        const response = await client.restAPI.newOrder({
            symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 20, price: 0.65, newClientOrderId: takerId, newOrderRespType: 'FULL',
        });
        const data = await response.data();
        takerOrderId = Number(data.orderId);
        assert(data.status === 'FILLED' && data.executedQty === '20.00000000' && data.cummulativeQuoteQty === '12.00000000', JSON.stringify(data));
        assert(data.fills.length === 1, `fills ${JSON.stringify(data.fills)}`);
        const [fill] = data.fills;
        assert(fill.price === '0.60000000' && fill.qty === '20.00000000' && typeof fill.commission === 'string' && typeof fill.commissionAsset === 'string', JSON.stringify(fill));
        assert(Number(fill.tradeId) > 0, `tradeId ${fill.tradeId}`);
    });

    await check('User data: the taker fill\'s executionReport says m false; the maker fill\'s m true; outboundAccountPosition follows', async () => {
        await waitFor(() => executionReports.some((r) => Number(r.i) === takerOrderId && r.x === 'TRADE'), 'taker TRADE report');
        const taker = executionReports.find((r) => Number(r.i) === takerOrderId && r.x === 'TRADE');
        const maker = executionReports.find((r) => Number(r.i) === fillOrderId && r.x === 'TRADE');
        assert(taker.m === false && taker.L === '0.60000000' && !('v' in taker), JSON.stringify(taker));
        assert(maker && maker.m === true, JSON.stringify(maker));
        await waitFor(() => executionReports.some((r) => r.e === 'outboundAccountPosition'), 'outboundAccountPosition');
        const position = executionReports.find((r) => r.e === 'outboundAccountPosition');
        assert(Array.isArray(position.B) && position.B.every((b) => typeof b.a === 'string' && typeof b.f === 'string' && typeof b.l === 'string'), JSON.stringify(position));
    });

    await check('REST myTrades: isMaker false for the taker fill', async () => {
        const data = await (await client.restAPI.myTrades({ symbol, orderId: takerOrderId })).data();
        assert(data.length === 1 && data[0].isMaker === false && data[0].price === '0.60000000', JSON.stringify(data));
    });

    await check('REST getOrder with an orderId and another order\'s origClientOrderId: -2039', async () => {
        const error = await client.restAPI.getOrder({ symbol, orderId: takerOrderId, origClientOrderId: fillId }).then(() => null, (e) => e);
        assert(error && error.code === -2039, `got ${describe(error)}`);
    });

    await check('WebSocket API: a second user data subscription on one connection: -2035', async () => {
        const error = await apiConnection.userDataStreamSubscribeSignature().then(() => null, (e) => e);
        assert(error && error.code === -2035, `got ${describe(error)}`);
    });

    await check('WebSocket API signed call with a wrong secret: -1022', async () => {
        const bad = new Spot({ configurationWebsocketAPI: { apiKey: config.apiKey, apiSecret: 'wrong-secret', wsURL: config.wsApi } });
        const connection = await bad.websocketAPI.connect();
        try {
            const error = await connection.accountStatus().then(() => null, (e) => e);
            assert(error && error.code === -1022, `got ${describe(error)}`);
        } finally {
            await connection.disconnect();
        }
    });

    // Self-trade prevention: a SELL at the last trade's 0.6 crosses no market liquidity but meets our own resting BUY at 0.6.
    const stpMakerId = `conf-stp-maker-${run}`;
    const stpTakerId = `conf-stp-taker-${run}`;
    let stpTakerOrderId;
    await check('REST newOrder meeting our own resting order with EXPIRE_TAKER: EXPIRED_IN_MATCH, preventedQuantity, preventedMatches', async () => {
        const maker = await (await client.restAPI.newOrder({
            symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 20, price: 0.6, newClientOrderId: stpMakerId, selfTradePreventionMode: 'NONE',
        })).data();
        assert(maker.status === 'NEW', JSON.stringify(maker));
        const data = await (await client.restAPI.newOrder({
            symbol, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 20, price: 0.6, newClientOrderId: stpTakerId, newOrderRespType: 'FULL', selfTradePreventionMode: 'EXPIRE_TAKER',
        })).data();
        stpTakerOrderId = Number(data.orderId);
        assert(data.status === 'EXPIRED_IN_MATCH' && data.selfTradePreventionMode === 'EXPIRE_TAKER' && data.preventedQuantity === '20.00000000', JSON.stringify(data));
        const [match] = data.preventedMatches ?? [];
        assert(match && Number(match.makerOrderId) === Number(maker.orderId) && match.takerPreventedQuantity === '20.00000000', JSON.stringify(data.preventedMatches));
    });

    await check('User data: TRADE_PREVENTION executionReport with X EXPIRED_IN_MATCH, v, A, B and V', async () => {
        await waitFor(() => executionReports.some((r) => Number(r.i) === stpTakerOrderId && r.x === 'TRADE_PREVENTION'), 'TRADE_PREVENTION report');
        const report = executionReports.find((r) => Number(r.i) === stpTakerOrderId && r.x === 'TRADE_PREVENTION');
        assert(report.X === 'EXPIRED_IN_MATCH' && typeof report.v === 'number' && report.A === '20.00000000' && report.B === '20.00000000' && report.V === 'EXPIRE_TAKER', JSON.stringify(report));
    });

    // Last: it spends the account's order budget for this 10 s window.
    await check('REST newOrder beyond the orders per 10 s: 429 TooManyRequestsError with -1015 (ORDERS counted in the headers before)', async () => {
        let error = null;
        let counted = 0;
        for (let i = 0; i < 250 && !error; i++) {
            error = await client.restAPI.newOrder({
                symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 100, price: 0.1, newClientOrderId: `conf-rate-${run}-${i}`, newOrderRespType: 'ACK',
            }).then((response) => {
                counted = response.rateLimits.find((l) => l.rateLimitType === 'ORDERS' && l.intervalNum === 10)?.count ?? counted;
                return null;
            }, (e) => e);
        }

        assert(error && error.name === 'TooManyRequestsError' && error.code === -1015, `got ${describe(error)} after ${counted} orders counted`);
        assert(counted > 0, 'no X-MBX-ORDER-COUNT-10S on the accepted placements');
        assert(/Too many new orders; current limit is \d+ orders per 10 SECOND\./.test(error.message), error.message);
    });
} finally {
    await Promise.allSettled([apiConnection?.disconnect(), streamConnection?.disconnect()]);
}

const failed = results.filter((r) => !r.ok).length;
console.log(`conformance: ${results.length - failed}/${results.length} checks passed, ${failed} failed (@binance/spot ${connectorVersion()})`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);

async function check(name, body) {
    try {
        await body();
        results.push({ name, ok: true });
        console.log(`PASS ${name}`);
    } catch (error) {
        results.push({ name, ok: false });
        console.log(`FAIL ${name}: ${describe(error)}`);
    }
}

function assert(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

function describe(error) {
    if (!error) {
        return 'no error';
    }

    return `${error.name ?? 'Error'}${error.code !== undefined ? ` ${error.code}` : ''}: ${error.message ?? error.msg ?? JSON.stringify(error)}`;
}

function notify() {
    for (const waiter of waiters.splice(0)) {
        waiter();
    }
}

async function waitFor(predicate, what, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
        const left = deadline - Date.now();
        if (left <= 0) {
            throw new Error(`timed out waiting for ${what}`);
        }

        await new Promise((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, Math.min(left, 100));
        });
    }
}

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseArgs(argv) {
    const parsed = {};
    for (let i = 0; i < argv.length; i++) {
        if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
            console.error(`unexpected argument '${argv[i]}'`);
            process.exit(2);
        }

        parsed[argv[i].slice(2)] = argv[++i];
    }

    return parsed;
}


function connectorVersion() {
    try {
        return JSON.parse(readFileSync(new URL('./node_modules/@binance/spot/package.json', import.meta.url), 'utf8')).version;
    } catch {
        return 'unknown version';
    }
}

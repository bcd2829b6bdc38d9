<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Norwegian bokmål for the Qt built-in strings the app can show: standard buttons, the
     text fields' and scroll bars' context menus, Qt's own file dialog, the image reader's
     errors (a screenshot that cannot be shown). Qt ships no bokmål
     (its translations have nynorsk, qtbase_nn, but no qtbase_nb), so this is ours. Maintained
     by hand; compiled with update_translations.py; tests/gui/test_translations.py checks that
     it covers every string of these contexts that Qt's nynorsk has. -->
<TS version="2.1" language="nb_NO" sourcelanguage="en">
<context>
    <name>QPlatformTheme</name>
    <message><source>OK</source><translation>OK</translation></message>
    <message><source>Save</source><translation>Lagre</translation></message>
    <message><source>Save All</source><translation>Lagre alt</translation></message>
    <message><source>Open</source><translation>Åpne</translation></message>
    <message><source>&amp;Yes</source><translation>&amp;Ja</translation></message>
    <message><source>Yes to &amp;All</source><translation>Ja til &amp;alle</translation></message>
    <message><source>&amp;No</source><translation>&amp;Nei</translation></message>
    <message><source>N&amp;o to All</source><translation>Nei til a&amp;lle</translation></message>
    <message><source>Abort</source><translation>Avbryt</translation></message>
    <message><source>Retry</source><translation>Prøv igjen</translation></message>
    <message><source>Ignore</source><translation>Ignorer</translation></message>
    <message><source>Close</source><translation>Lukk</translation></message>
    <message><source>Cancel</source><translation>Avbryt</translation></message>
    <message><source>Discard</source><translation>Forkast</translation></message>
    <message><source>Help</source><translation>Hjelp</translation></message>
    <message><source>Apply</source><translation>Bruk</translation></message>
    <message><source>Reset</source><translation>Tilbakestill</translation></message>
    <message><source>Restore Defaults</source><translation>Gjenopprett standardverdier</translation></message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message><source>&amp;OK</source><translation>&amp;OK</translation></message>
    <message><source>&amp;Save</source><translation>&amp;Lagre</translation></message>
    <message><source>&amp;Cancel</source><translation>&amp;Avbryt</translation></message>
    <message><source>&amp;Close</source><translation>&amp;Lukk</translation></message>
    <message><source>Close without Saving</source><translation>Lukk uten å lagre</translation></message>
</context>
<context>
    <name>QDialogButtonBox</name>
    <message><source>OK</source><translation>OK</translation></message>
</context>
<context>
    <name>QMessageBox</name>
    <message><source>Show Details...</source><translation>Vis detaljer …</translation></message>
    <message><source>Hide Details...</source><translation>Skjul detaljer …</translation></message>
</context>
<context>
    <name>QLineEdit</name>
    <message><source>&amp;Undo</source><translation>&amp;Angre</translation></message>
    <message><source>&amp;Redo</source><translation>&amp;Gjør om</translation></message>
    <message><source>Cu&amp;t</source><translation>Klipp &amp;ut</translation></message>
    <message><source>&amp;Copy</source><translation>&amp;Kopier</translation></message>
    <message><source>&amp;Paste</source><translation>&amp;Lim inn</translation></message>
    <message><source>Delete</source><translation>Slett</translation></message>
    <message><source>Select All</source><translation>Merk alt</translation></message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message><source>&amp;Undo</source><translation>&amp;Angre</translation></message>
    <message><source>&amp;Redo</source><translation>&amp;Gjør om</translation></message>
    <message><source>Cu&amp;t</source><translation>Klipp &amp;ut</translation></message>
    <message><source>&amp;Copy</source><translation>&amp;Kopier</translation></message>
    <message><source>Copy &amp;Link Location</source><translation>Kopier &amp;lenkeadresse</translation></message>
    <message><source>&amp;Paste</source><translation>&amp;Lim inn</translation></message>
    <message><source>Delete</source><translation>Slett</translation></message>
    <message><source>Select All</source><translation>Merk alt</translation></message>
</context>
<context>
    <name>QAbstractSpinBox</name>
    <message><source>&amp;Select All</source><translation>&amp;Merk alt</translation></message>
    <message><source>&amp;Step up</source><translation>Steg &amp;opp</translation></message>
    <message><source>Step &amp;down</source><translation>Steg &amp;ned</translation></message>
</context>
<context>
    <name>QScrollBar</name>
    <message><source>Scroll here</source><translation>Rull hit</translation></message>
    <message><source>Left edge</source><translation>Venstre kant</translation></message>
    <message><source>Top</source><translation>Øverst</translation></message>
    <message><source>Right edge</source><translation>Høyre kant</translation></message>
    <message><source>Bottom</source><translation>Nederst</translation></message>
    <message><source>Page left</source><translation>Side til venstre</translation></message>
    <message><source>Page up</source><translation>Side opp</translation></message>
    <message><source>Page right</source><translation>Side til høyre</translation></message>
    <message><source>Page down</source><translation>Side ned</translation></message>
    <message><source>Scroll left</source><translation>Rull til venstre</translation></message>
    <message><source>Scroll up</source><translation>Rull opp</translation></message>
    <message><source>Scroll right</source><translation>Rull til høyre</translation></message>
    <message><source>Scroll down</source><translation>Rull ned</translation></message>
</context>
<context>
    <name>QUnicodeControlCharacterMenu</name>
    <message><source>Insert Unicode control character</source><translation>Sett inn Unicode-kontrolltegn</translation></message>
    <message><source>LRM Left-to-right mark</source><translation>LRM venstre-til-høyre-merke</translation></message>
    <message><source>RLM Right-to-left mark</source><translation>RLM høyre-til-venstre-merke</translation></message>
    <message><source>ZWJ Zero width joiner</source><translation>ZWJ sammenbindingstegn med null bredde</translation></message>
    <message><source>ZWNJ Zero width non-joiner</source><translation>ZWNJ ikke-sammenbindingstegn med null bredde</translation></message>
    <message><source>ZWSP Zero width space</source><translation>ZWSP mellomrom med null bredde</translation></message>
    <message><source>LRE Start of left-to-right embedding</source><translation>LRE start på venstre-til-høyre-innebygging</translation></message>
    <message><source>RLE Start of right-to-left embedding</source><translation>RLE start på høyre-til-venstre-innebygging</translation></message>
    <message><source>LRO Start of left-to-right override</source><translation>LRO start på venstre-til-høyre-overstyring</translation></message>
    <message><source>RLO Start of right-to-left override</source><translation>RLO start på høyre-til-venstre-overstyring</translation></message>
    <message><source>PDF Pop directional formatting</source><translation>PDF slutt på retningsformatering</translation></message>
    <message><source>LRI Left-to-right isolate</source><translation>LRI venstre-til-høyre-isolering</translation></message>
    <message><source>RLI Right-to-left isolate</source><translation>RLI høyre-til-venstre-isolering</translation></message>
    <message><source>FSI First strong isolate</source><translation>FSI første sterke isolering</translation></message>
    <message><source>PDI Pop directional isolate</source><translation>PDI slutt på retningsisolering</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Folder</source><translation>Mappe</translation></message>
    <message><source>Drive</source><translation>Stasjon</translation></message>
    <message><source>Unknown</source><translation>Ukjent</translation></message>
    <message><source>%1 File</source><translation>%1-fil</translation></message>
    <message><source>File Folder</source><translation>Filmappe</translation></message>
    <message><source>Alias</source><translation>Alias</translation></message>
    <message><source>Shortcut</source><translation>Snarvei</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Name</source><translation>Navn</translation></message>
    <message><source>Size</source><translation>Størrelse</translation></message>
    <message><source>Kind</source><translation>Sort</translation></message>
    <message><source>Type</source><translation>Type</translation></message>
    <message><source>Date Modified</source><translation>Sist endret</translation></message>
    <message><source>My Computer</source><translation>Min datamaskin</translation></message>
    <message><source>Computer</source><translation>Datamaskin</translation></message>
    <message><source>Invalid filename</source><translation>Ugyldig filnavn</translation></message>
    <message><source>&lt;b&gt;The name "%1" cannot be used.&lt;/b&gt;&lt;p&gt;Try using another name, with fewer characters or no punctuation marks.</source><translation>&lt;b&gt;Navnet «%1» kan ikke brukes.&lt;/b&gt;&lt;p&gt;Prøv et annet navn, med færre tegn eller uten spesialtegn.</translation></message>
</context>
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>&amp;Se i:</translation></message>
    <message><source>Files of &amp;type:</source><translation>Fil&amp;type:</translation></message>
    <message><source>Look in:</source><translation>Se i:</translation></message>
    <message><source>File &amp;name:</source><translation>Fil&amp;navn:</translation></message>
    <message><source>Files of type:</source><translation>Filtype:</translation></message>
    <message><source>&amp;Open</source><translation>&amp;Åpne</translation></message>
    <message><source>&amp;Save</source><translation>&amp;Lagre</translation></message>
    <message><source>&amp;Choose</source><translation>&amp;Velg</translation></message>
    <message><source>Open</source><translation>Åpne</translation></message>
    <message><source>Save As</source><translation>Lagre som</translation></message>
    <message><source>Find Directory</source><translation>Finn mappe</translation></message>
    <message><source>Back</source><translation>Tilbake</translation></message>
    <message><source>Forward</source><translation>Fremover</translation></message>
    <message><source>Go back</source><translation>Gå tilbake</translation></message>
    <message><source>Go forward</source><translation>Gå fremover</translation></message>
    <message><source>Parent Directory</source><translation>Overordnet mappe</translation></message>
    <message><source>Go to the parent directory</source><translation>Gå til overordnet mappe</translation></message>
    <message><source>Create New Folder</source><translation>Opprett ny mappe</translation></message>
    <message><source>Create a New Folder</source><translation>Opprett en ny mappe</translation></message>
    <message><source>New Folder</source><translation>Ny mappe</translation></message>
    <message><source>&amp;New Folder</source><translation>&amp;Ny mappe</translation></message>
    <message><source>List View</source><translation>Listevisning</translation></message>
    <message><source>Change to list view mode</source><translation>Bytt til listevisning</translation></message>
    <message><source>Detail View</source><translation>Detaljvisning</translation></message>
    <message><source>Change to detail view mode</source><translation>Bytt til detaljvisning</translation></message>
    <message><source>Directory:</source><translation>Mappe:</translation></message>
    <message><source>Directories</source><translation>Mapper</translation></message>
    <message><source>Files</source><translation>Filer</translation></message>
    <message><source>All Files (*)</source><translation>Alle filer (*)</translation></message>
    <message><source>All files (*)</source><translation>Alle filer (*)</translation></message>
    <message><source>&amp;Rename</source><translation>&amp;Gi nytt navn</translation></message>
    <message><source>&amp;Delete</source><translation>&amp;Slett</translation></message>
    <message><source>Delete</source><translation>Slett</translation></message>
    <message><source>Remove</source><translation>Fjern</translation></message>
    <message><source>Show &amp;hidden files</source><translation>Vis &amp;skjulte filer</translation></message>
    <message><source>Show </source><translation>Vis </translation></message>
    <message><source>Recent Places</source><translation>Nylig brukte steder</translation></message>
    <message><source>My Computer</source><translation>Min datamaskin</translation></message>
    <message><source>List of places and bookmarks</source><translation>Liste over steder og bokmerker</translation></message>
    <message><source>Sidebar</source><translation>Sidestolpe</translation></message>
    <message><source>File</source><translation>Fil</translation></message>
    <message><source>File Folder</source><translation>Filmappe</translation></message>
    <message><source>Folder</source><translation>Mappe</translation></message>
    <message><source>Alias</source><translation>Alias</translation></message>
    <message><source>Shortcut</source><translation>Snarvei</translation></message>
    <message><source>Drive</source><translation>Stasjon</translation></message>
    <message><source>Unknown</source><translation>Ukjent</translation></message>
    <message><source>%1 File</source><translation>%1-fil</translation></message>
    <message><source>Alt+Left</source><translation>Alt+Left</translation></message>
    <message><source>Alt+Right</source><translation>Alt+Right</translation></message>
    <message><source>Alt+Up</source><translation>Alt+Up</translation></message>
    <message><source>%1 already exists.
Do you want to replace it?</source><translation>%1 finnes allerede.
Vil du erstatte den?</translation></message>
    <message><source>%1
File not found.
Please verify the correct file name was given.</source><translation>%1
Fant ikke filen.
Kontroller at du har oppgitt riktig filnavn.</translation></message>
    <message><source>%1
Directory not found.
Please verify the correct directory name was given.</source><translation>%1
Fant ikke mappen.
Kontroller at du har oppgitt riktig mappenavn.</translation></message>
    <message><source>'%1' is write protected.
Do you want to delete it anyway?</source><translation>«%1» er skrivebeskyttet.
Vil du slette den likevel?</translation></message>
    <message><source>Are you sure you want to delete '%1'?</source><translation>Er du sikker på at du vil slette «%1»?</translation></message>
    <message><source>Could not delete directory.</source><translation>Kunne ikke slette mappen.</translation></message>
</context>
<context>
    <name>QImageReader</name>
    <message><source>File not found</source><translation>Fant ikke fila</translation></message>
    <message><source>Invalid device</source><translation>Ugyldig enhet</translation></message>
    <message><source>Unable to read image data</source><translation>Kan ikke lese bildedataene</translation></message>
    <message><source>Unknown error</source><translation>Ukjent feil</translation></message>
    <message><source>Unsupported image format</source><translation>Bildeformatet støttes ikke</translation></message>
</context>
</TS>

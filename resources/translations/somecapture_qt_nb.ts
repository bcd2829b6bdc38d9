<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Norwegian bokmål for the few Qt built-in strings the app shows (standard buttons, text
     field context menus, Qt's own file dialog). PySide6 ships no qtbase_nb.qm. Maintained by
     hand; compiled with update_translations.py. -->
<TS version="2.1" language="nb_NO" sourcelanguage="en">
<context>
    <name>QPlatformTheme</name>
    <message><source>OK</source><translation>OK</translation></message>
    <message><source>Save</source><translation>Lagre</translation></message>
    <message><source>Open</source><translation>Åpne</translation></message>
    <message><source>&amp;Yes</source><translation>&amp;Ja</translation></message>
    <message><source>&amp;No</source><translation>&amp;Nei</translation></message>
    <message><source>Close</source><translation>Lukk</translation></message>
    <message><source>Cancel</source><translation>Avbryt</translation></message>
    <message><source>Discard</source><translation>Forkast</translation></message>
    <message><source>Help</source><translation>Hjelp</translation></message>
    <message><source>Apply</source><translation>Bruk</translation></message>
    <message><source>Reset</source><translation>Tilbakestill</translation></message>
    <message><source>Restore Defaults</source><translation>Gjenopprett standardverdier</translation></message>
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
    <message><source>&amp;Paste</source><translation>&amp;Lim inn</translation></message>
    <message><source>Delete</source><translation>Slett</translation></message>
    <message><source>Select All</source><translation>Merk alt</translation></message>
</context>
<context>
    <name>QFileDialog</name>
    <message><source>Look in:</source><translation>Se i:</translation></message>
    <message><source>File &amp;name:</source><translation>Fil&amp;navn:</translation></message>
    <message><source>Files of type:</source><translation>Filtype:</translation></message>
    <message><source>&amp;Open</source><translation>&amp;Åpne</translation></message>
    <message><source>&amp;Choose</source><translation>&amp;Velg</translation></message>
    <message><source>Back</source><translation>Tilbake</translation></message>
    <message><source>Forward</source><translation>Fremover</translation></message>
    <message><source>Parent Directory</source><translation>Overordnet mappe</translation></message>
    <message><source>Create New Folder</source><translation>Opprett ny mappe</translation></message>
    <message><source>List View</source><translation>Listevisning</translation></message>
    <message><source>Detail View</source><translation>Detaljvisning</translation></message>
    <message><source>Directory:</source><translation>Mappe:</translation></message>
    <message><source>All Files (*)</source><translation>Alle filer (*)</translation></message>
</context>
</TS>

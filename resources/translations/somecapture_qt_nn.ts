<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Nynorsk: Qt's own qtbase_nn.qm translates Qt's widgets, in the a-infinitive ("Opna",
     "Lagra"). The app writes the e-infinitive ("Opne", "Lagre"); this file, installed after
     qtbase_nn, gives the few of Qt's strings the app can show that differ, and the file dialog's
     labels that Qt 6.12 renamed after its nynorsk was made. Maintained by hand;
     compiled with update_translations.py. -->
<TS version="2.1" language="nn_NO" sourcelanguage="en">
<context>
    <name>QPlatformTheme</name>
    <message><source>Open</source><translation>Opne</translation></message>
    <message><source>Save</source><translation>Lagre</translation></message>
    <message><source>Save All</source><translation>Lagre alt</translation></message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message><source>&amp;Save</source><translation>&amp;Lagre</translation></message>
    <message><source>Close without Saving</source><translation>Lukk utan å lagre</translation></message>
</context>
<context>
    <name>QLineEdit</name>
    <message><source>&amp;Undo</source><translation>&amp;Angre</translation></message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message><source>&amp;Undo</source><translation>&amp;Angre</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Folder</source><translation>Mappe</translation></message>
    <message><source>Drive</source><translation>Stasjon</translation></message>
    <message><source>Unknown</source><translation>Ukjend</translation></message>
    <message><source>%1 File</source><translation>%1-fil</translation></message>
    <message><source>File Folder</source><translation>Filmappe</translation></message>
    <message><source>Alias</source><translation>Alias</translation></message>
    <message><source>Shortcut</source><translation>Snarveg</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>&lt;b&gt;The name "%1" cannot be used.&lt;/b&gt;&lt;p&gt;Try using another name, with fewer characters or no punctuation marks.</source><translation>&lt;b&gt;Namnet «%1» kan ikkje brukast.&lt;/b&gt;&lt;p&gt;Prøv eit anna namn, med færre teikn eller utan spesialteikn.</translation></message>
</context>
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>&amp;Leit i:</translation></message>
    <message><source>Files of &amp;type:</source><translation>Filer av &amp;typen:</translation></message>
    <message><source>&amp;Open</source><translation>&amp;Opne</translation></message>
    <message><source>&amp;Save</source><translation>&amp;Lagre</translation></message>
    <message><source>Open</source><translation>Opne</translation></message>
    <message><source>Save As</source><translation>Lagre som</translation></message>
    <message><source>%1 already exists.
Do you want to replace it?</source><translation>%1 finst frå før.
Vil du byte ho ut?</translation></message>
    <message><source>'%1' is write protected.
Do you want to delete it anyway?</source><translation>«%1» er skriveverna.
Vil du likevel slette ho?</translation></message>
    <message><source>Are you sure you want to delete '%1'?</source><translation>Er du sikker på at du vil slette «%1»?</translation></message>
    <message><source>Could not delete directory.</source><translation>Klarte ikkje å slette mappa.</translation></message>
</context>
</TS>

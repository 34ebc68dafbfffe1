package org.openepro.export.format;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/** The official CDISC ODM 1.3.2 XML Schema (test resources, see their NOTICE.md), applied with the JDK's validator. */
public final class OdmSchema {
    private static final Schema SCHEMA = load();

    private OdmSchema() {}

    private static Schema load() {
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            // the schema set is local: no import may reach the network
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            return f.newSchema(OdmSchema.class.getResource("/cdisc-odm-1.3.2/ODM1-3-2.xsd"));
        } catch (Exception e) {
            throw new IllegalStateException("the ODM 1.3.2 schema does not load", e);
        }
    }

    /** Every error and warning the validator reports for the document (empty: it is valid ODM 1.3.2). */
    public static List<String> problems(byte[] xml) throws Exception {
        List<String> problems = new ArrayList<>();
        Validator v = SCHEMA.newValidator();
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                problems.add("warning line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void error(SAXParseException e) {
                problems.add("error line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add("fatal line " + e.getLineNumber() + ": " + e.getMessage());
            }
        });
        v.validate(new StreamSource(new ByteArrayInputStream(xml)));
        return problems;
    }
}

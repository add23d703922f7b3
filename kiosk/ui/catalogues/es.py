"""The kiosk's own words in Spanish (``i18n.use("es")``).

A draft for the clinic's review, like the shipped Spanish pages: plain words,
"usted", no gendered forms where a neutral one reads as well ("Le damos la
bienvenida"). Every name in ``kiosk.ui.strings`` is here with the same
placeholders and dict keys (``tests/ui/test_catalogue.py``). Keyboard labels
stay short enough for their keys.

Crisis facts (checked against the services' own pages): 988's Spanish option is
"press 2" on a call, or the word AYUDA texted to 988 (988lifeline.org, "What to
expect"); Crisis Text Line answers in Spanish when AYUDA is texted to 741741
(crisistextline.org, 2021).
"""

from __future__ import annotations

STRINGS: dict[str, object] = {
    "HOME": "Inicio",
    "PREVIOUS": "Anterior",
    "NEXT": "Siguiente",
    "REQUEST_INFO": "Pedir información",
    "NEED_HELP": "¿Necesita ayuda ahora?",
    "CLOSE": "Cerrar",
    "STILL_HERE": "Sigo aquí",
    "STILL_THERE_TITLE": "¿Sigue ahí?",
    "STILL_THERE_BODY": (
        "Para proteger su privacidad, esta pantalla volverá al inicio en {seconds} segundos."
    ),
    "APOLOGY": "Lo sentimos, algo salió mal. Volvimos al inicio.",
    "NO_CONTENT": "Por ahora no hay nada para leer. Por favor, pregunte en la recepción.",
    "PAGE_OF": "{index} de {count}",
    "PAGE_OF_ACCESSIBLE": "Página {index} de {count}",
    "CRISIS_TITLE": "¿Necesita ayuda ahora?",
    "CRISIS_BODY": (
        "<p><b>Si está en crisis, llame o envíe un mensaje de texto al 988</b> "
        "(Línea 988 de Prevención del Suicidio y Crisis).</p>"
        "<p><b>En una emergencia, llame al 911.</b></p>"
        "<p><b>En español:</b> llame al <b>988</b> y oprima el <b>2</b>, "
        "o envíe <b>AYUDA</b> por mensaje de texto al <b>988</b>.</p>"
        "<p>Crisis Text Line: envíe <b>AYUDA</b> por mensaje de texto al <b>741741</b>.</p>"
        "<p>También puede avisar ahora mismo en la recepción.</p>"
    ),
    "REQUEST_TITLE": "Pedir información",
    "DISCLAIMER": "Esta información es para educar. No es un consejo médico.",
    "INFO_PHONE": "Llámenos: {}",
    "INFO_HOURS": "Horario: {}",
    "INFO_WEBSITE": "Más en internet: {}",
    "INFO_QR": "Código QR de {}",
    # -- the request form -------------------------------------------------------
    "REQUEST_INTRO": "Deje sus datos y la clínica se comunicará con usted.",
    "FIELD_NAME": "Su nombre",
    "FIELD_PHONE": "Número de teléfono",
    "FIELD_EMAIL": "Correo electrónico",
    "FIELD_REACH_HINT": "Escriba un número de teléfono, un correo electrónico o los dos.",
    "FIELD_METHOD": "¿Cómo quiere que nos comuniquemos con usted?",
    "FIELD_METHOD_HINT": (
        "Llamada y Texto necesitan un número de teléfono; Correo necesita un correo electrónico."
    ),
    "METHOD_LABELS": {"call": "Llamada", "text": "Texto", "email": "Correo"},
    # After "por": "Nos comunicaremos con usted por teléfono."
    "METHOD_PHRASES": {
        "call": "teléfono",
        "text": "mensaje de texto",
        "email": "correo electrónico",
    },
    "FIELD_BEST_TIME": "Mejor hora para contactarle",
    "BEST_TIME_LABELS": {
        "morning": "Mañana",
        "afternoon": "Tarde",
        "evening": "Noche",
        "any": "Cualquier hora",
    },
    "FIELD_TOPIC": "¿Qué le interesa?",
    "TOPIC_OTHER": "Otra cosa",
    "FIELD_MESSAGE": "Su mensaje (opcional)",
    "MESSAGE_COUNT": "{count} de {limit} caracteres",
    "MESSAGE_OVER": "{count} de {limit} caracteres: {over} de más",
    "CONSENT": "La clínica puede comunicarse conmigo sobre esta solicitud",
    "PRIVACY_NOTE": (
        "Sus datos quedan bajo llave (cifrados) en esta tableta en cuanto los envía, "
        "y solo el personal de la clínica puede abrirlos, para comunicarse con usted "
        "sobre esta solicitud."
    ),
    "SEND": "Enviar solicitud",
    "CHECK_FIELDS": "Hay datos que revisar. Por favor, vea los mensajes de arriba.",
    "SAVE_FAILED": "No pudimos guardar su solicitud. Por favor, avise en la recepción.",
    "THANK_YOU_TITLE": "Su solicitud está guardada",
    "THANK_YOU": "Gracias. Nos comunicaremos con usted por {method}.",
    "THANK_YOU_BACK": "Esta pantalla volverá al inicio en unos segundos.",
    "DONE": "Listo",
    "LEAVE_TITLE": "¿Salir de este formulario?",
    "LEAVE_BODY": "Se borrará lo que escribió, para que la próxima persona no pueda verlo.",
    "KEEP_WRITING": "Seguir escribiendo",
    "CLEAR_AND_LEAVE": "Borrar e ir al inicio",
    # -- the on-screen keyboard's special keys: short, to fit their keys -----------
    "KEY_SHIFT": "Mayús",
    "KEY_NUMBERS": "123",
    "KEY_LETTERS": "ABC",
    "KEY_SPACE": "Espacio",
    "KEY_DELETE": "Borrar",
    "KEY_NEXT": "Sig.",
    "KEY_DONE": "Listo",
    # -- text size, contrast, read aloud, language ----------------------------------
    "TEXT_SIZE": "Aa",
    "DISPLAY_TITLE": "Tamaño del texto y contraste",
    "TEXT_SIZE_LABEL": "Tamaño del texto",
    "SIZE_NAMES": {"default": "Normal", "large": "Grande", "largest": "Muy grande"},
    "CONTRAST_LABEL": "Contraste",
    "CONTRAST_STANDARD": "Normal",
    "CONTRAST_HIGH": "Alto contraste",
    "LISTEN": "Escuchar",
    "PAUSE": "Pausa",
    "RESUME": "Continuar",
    "STOP_READING": "Parar",
    "LANGUAGE_LABEL": "Idioma",
    "NOT_TRANSLATED": "Esta página aún no está traducida, por eso se muestra en inglés.",
    "DEFAULT_WELCOME": "Le damos la bienvenida. Toque un tema para leer más.",
    "FORM_PROBLEMS": {
        "NAME_MISSING": "Escriba su nombre, por favor.",
        "NAME_TOO_LONG": "Acorte su nombre a 100 caracteres como máximo, por favor.",
        "NAME_ODD": "Quite los caracteres poco comunes de su nombre, por favor.",
        "REACH_MISSING": (
            "Escriba un número de teléfono o un correo electrónico para que podamos "
            "comunicarnos con usted."
        ),
        "PHONE_BAD": (
            "Esto no parece un número de teléfono. Revíselo, con el código de área, por favor."
        ),
        "PHONE_ODD": "Un número de teléfono solo puede tener dígitos, espacios, +, -, ( y ).",
        "EMAIL_BAD": (
            "Esto no parece un correo electrónico. Revíselo, por favor "
            "(por ejemplo, nombre@ejemplo.com)."
        ),
        "METHOD_MISSING": "Elija cómo quiere que nos comuniquemos con usted, por favor.",
        "METHOD_NEEDS_PHONE": (
            "Para recibir una llamada o un mensaje de texto, escriba un número de teléfono."
        ),
        "METHOD_NEEDS_EMAIL": "Para recibir un correo, escriba un correo electrónico.",
        "MESSAGE_TOO_LONG": "Acorte su mensaje a 500 caracteres como máximo, por favor.",
        "MESSAGE_ODD": "Quite los caracteres poco comunes de su mensaje, por favor.",
        "CONSENT_MISSING": "Marque esta casilla para que la clínica pueda comunicarse con usted.",
    },
}

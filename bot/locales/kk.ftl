## Start and menu
start-greeting =
    Сәлеметсіз бе, { $name }! Бұл Цветы.kz 💐
    Каталогтан гүл шоғын таңдаңыз, ұнаған гүл шоғының суретін жіберіңіз немесе не іздейтініңізді жазыңыз, мысалы «раушан».
menu-catalog = 💐 Каталог
menu-photo = 📷 Сурет бойынша іздеу
menu-orders = 📦 Тапсырыстарым
menu-help = ❓ Көмек
menu-language = 🌐 Тіл
help =
    Қалай тапсырыс беруге болады: каталогты ашыңыз немесе сөз жазыңыз («раушан», «эустома»), гүл шоғының астындағы «Тапсырыс беру» батырмасын басып, бірер сұраққа жауап беріңіз.
    Төлем — Kaspi арқылы: шот сіздің нөміріңізге келеді.
    /catalog — каталог, /orders — тапсырыстарыңыз, /language — тіл, /start — басты мәзір.
unhandled = Түсінбедім 🙂 Мәзірден таңдаңыз немесе қандай гүл іздейтініңізді жазыңыз.
rate-limited = Хабарлама тым көп. Бірнеше секунд күте тұрыңыз.
error-generic = Бірдеңе дұрыс болмады. Сәлден кейін қайталап көріңіз.
order-busy = { $trackingId } тапсырысындағы өзгерісті бірден растау мүмкін болмады: тапсырыс қызметі қазір бос емес. Бірер минутта ештеңе өзгермесе, қайталап көріңізші.
command-start = Басты мәзір
command-catalog = Гүл шоқтарының каталогы
command-orders = Тапсырыстарым
command-language = Тіл
command-help = Көмек

## The shop
shop-info =
    Цветы.kz
    Мекенжайы: { $address }
    Жұмыс уақыты: күн сайын { $hours }
    Телефон: { $phone }
shop-contact = 📞 Дүкенмен байланысу

## Language
language-choose = Выберите язык / Тілді таңдаңыз
language-changed = Дайын, енді қазақша сөйлесеміз.

## Catalog and search
catalog-empty = Каталог әзірге бос. Сәлден кейін кіріңіз!
card-size = Өлшемі: { $size }
card-composition = Құрамы: { $composition }
card-order = 🛒 Тапсырыс беру
card-filters = 🔎 Гүлі мен бағасы бойынша таңдау
catalog-filters = Нені көрсетейін?
catalog-filter-empty = Қазір мұндай гүл шоқтары жоқ. Басқасын таңдап көріңіз.
filter-all = 💐 Барлық гүл шоқтары
filter-rose = 🌹 Раушандар
filter-tulip = 🌷 Қызғалдақтар
filter-peony = Пиондар
filter-hydrangea = Гортензиялар
filter-chrysanthemum = Хризантемалар
filter-cheap = 15 000 ₸ дейін
filter-middle = 15 000 – 30 000 ₸
filter-premium = 30 000 ₸ бастап
search-found = «{ $query }» бойынша табылған гүл шоқтары: { $total }
search-nothing = «{ $query }» бойынша ештеңе табылмады. Каталогты қараңыз — онда әдемі гүлдер көп.
search-open-catalog = 💐 Каталогты ашу
product-not-found = Бұл гүл шоғы енді жоқ. Каталогтан басқасын қараңыз.

## Photo search
photo-ask = Гүл шоғының суретін жіберіңіз — дәл сондайын немесе ұқсасын табамыз.
photo-exact = Осы гүл шоғын таптық:
photo-similar = Ұқсас гүл шоқтары:
photo-nothing = Өкінішке қарай, бізде мұндай гүл шоғы жоқ. Каталогты қараңыз — бәлкім, бірдеңе ұнайтын шығар?
photo-failed = Суретті өңдеу мүмкін болмады. Қайта жіберіп көріңіз.
photo-not-image = Бұл суретке ұқсамайды. JPEG, PNG немесе WebP суретін жіберіңіз.

## Orders
orders-none = Сізде әзірге тапсырыс жоқ.
orders-title = Сіздің тапсырыстарыңыз:
orders-line = { $trackingId } · { $status } · { $total } · { $date } { $slot }
orders-details = ℹ️ { $trackingId }
orders-cancel = ✖️ Бас тарту
orders-repeat = 🔁 Қайталау
order-details =
    { $trackingId } тапсырысы: { $status }
    { $items }
    Барлығы: { $total }
    Қашан: { $date } { $slot }
    Төлем: { $payment }
order-not-found = Тапсырыс табылмады.
order-cancel-confirm = { $trackingId } тапсырысынан шынымен бас тартасыз ба? Төленген болса, ақша Kaspi-ге қайтарылады.
order-cancel-yes = Иә, бас тарту
order-cancel-no = Жоқ, қалсын
order-kept = Жақсы, { $trackingId } тапсырысы күшінде қалады.
order-cancelled = { $trackingId } тапсырысынан бас тартылды.
order-cancel-refused = { $trackingId } тапсырысынан енді бас тарту мүмкін емес: { $status }.
order-details-button = ℹ️ Толығырақ
order-cancel-button = ✖️ Тапсырыстан бас тарту
order-repay-button = 💳 Шот келмеді / басқа нөмір
order-reorder-button = 🔁 Қайта рәсімдеу
order-repeat-button = 🔁 Тапсырысты қайталау
repay-ask = { $trackingId } тапсырысы үшін жаңа Kaspi шотын қай нөмірге жіберейік? Контактіңізбен бөлісіңіз немесе +7 нөмірін жазыңыз.
repay-sent = { $trackingId } тапсырысы үшін { $phone } нөміріне жаңа шот жібердік. Алдыңғы шот кері қайтарылды.
repay-already = { $trackingId } тапсырысының шотын { $phone } нөміріне жаңа ғана жібердік: Kaspi.kz → Хабарламалар бөлімін ашыңыз. Бірнеше минуттан кейін шот болмаса, жаңа шотты қайта сұраңыз.
repay-unavailable = Қазір жаңа шот жіберу мүмкін болмай тұр. Дүкенге хабарласыңыз: { $phone }.
repay-not-awaiting = { $trackingId } тапсырысы енді төлем күтпейді: { $status }.
status-new = жаңа
status-awaiting_payment = төлем күтілуде
status-paid = төленді
status-accepted = флорист қабылдады
status-assembled = жиналды
status-in_delivery = жеткізілуде
status-delivered = жеткізілді
status-cancelled = бас тартылды
payment-none = шот жоқ
payment-requested = Kaspi-де төлем күтілуде
payment-paid = төленді
payment-failed = өтпеді
payment-expired = уақыты өтті
payment-refund_pending = қайтарылуда
payment-refunded = ақша қайтарылды

## Checkout
checkout-unavailable = Бұл гүл шоғы қазір жоқ. Каталогтан басқасын қараңыз.
checkout-start = «{ $title }» рәсімдейміз — { $price }.
checkout-delivery-type = Жеткізу ме, әлде өзіңіз алып кетесіз бе? { $pickupInfo }
checkout-delivery = 🚚 Жеткізу · { $fee }
checkout-pickup = 🏪 Өзім алып кетемін · тегін
checkout-pickup-info = Өзіңіз алып кету: { $address }, күн сайын { $hours }.
checkout-abandon = ✖️ Бас тарту
checkout-abandoned = Рәсімдеуден бас тартылды. Қалаған кезде оралыңыз!
checkout-expired = Тапсырысты рәсімдеу ескіріп, тоқтатылды. Каталогтан қайта бастаңыз.
checkout-left = «{ $title }» рәсімдеуі кідіртілді. Төмендегі батырмамен жалғастыра аласыз.
checkout-resume = ▶️ Рәсімдеуді жалғастыру
checkout-nothing-to-resume = Аяқталмаған рәсімдеу жоқ. Каталогтан гүл шоғын таңдаңыз.
checkout-already-done = Бұл тапсырыс рәсімделіп қойған немесе рәсімдеу жабылған.
checkout-use-buttons = Хабарламаның астындағы батырмамен таңдаңыз.
checkout-address = Жеткізу мекенжайы: қала, көше, үй, пәтер. Немесе геолокация жіберіңіз.
checkout-address-location = 📍 Геолокация жіберу
checkout-address-invalid = Мекенжайды толық жазыңыз (5-тен 300 таңбаға дейін) немесе геолокация жіберіңіз.
checkout-recipient = Гүл шоғын кім алады? «Алушы — өзім» батырмасын басыңыз немесе алушының атын жазыңыз.
checkout-recipient-self = 🙋 Алушы — өзім
checkout-recipient-name-invalid = Алушының атын мәтінмен жазыңыз — 2-ден 100 таңбаға дейін.
checkout-recipient-phone = Алушының ({ $name }) телефоны? Мысалы, +7 701 123 45 67.
checkout-recipient-phone-invalid = Бұл қазақстандық нөмірге ұқсамайды. +7 701 123 45 67 немесе 8 701 123 45 67 түрінде жазыңыз.
checkout-date-delivery = Қашан жеткізейік? Күнді таңдаңыз немесе КК.АА түрінде жазыңыз.
checkout-date-pickup = Қашан алып кетесіз? Күнді таңдаңыз немесе КК.АА түрінде жазыңыз.
checkout-today = Бүгін
checkout-tomorrow = Ертең
checkout-day = { $name }, { $weekday } { $date }
weekday-0 = жс
weekday-1 = дс
weekday-2 = сс
weekday-3 = ср
weekday-4 = бс
weekday-5 = жм
weekday-6 = сн
checkout-date-invalid = Күнді түсінбедім. Батырмамен таңдаңыз немесе КК.АА түрінде жазыңыз, мысалы 08.03.
checkout-date-past = Бұл күн өтіп кетті. Бүгінді немесе кейінгі күнді таңдаңыз.
checkout-date-too-far = Тапсырысты 90 күннен артық алдын ала қабылдамаймыз. Жақынырақ күнді таңдаңыз.
checkout-date-no-slots = Бұл күнге бос уақыт қалмады. Басқа күнді таңдаңыз.
checkout-slot = { $date } күнгі уақытты таңдаңыз.
checkout-other-day = ⬅️ Басқа күн
checkout-slot-invalid = Уақытты тізімдегі батырмамен таңдаңыз.
checkout-phone = Kaspi шотын қай нөмірге жіберейік? Төмендегі батырмамен контактіңізбен бөлісіңіз немесе +7 нөмірін жазыңыз.
checkout-phone-saved = Kaspi шотын қай нөмірге жіберейік? { $phone } басыңыз немесе басқа +7 нөмірін жазыңыз.
checkout-phone-button = 📱 Контактімен бөлісу
checkout-phone-confirm = Kaspi шоты { $phone } нөміріне келеді. Дұрыс па?
checkout-phone-yes = ✅ Иә, дұрыс
checkout-phone-other = ✏️ Басқа нөмір
checkout-phone-invalid = Бұл қазақстандық нөмірге ұқсамайды. +7 701 123 45 67 түрінде жазыңыз немесе контактіңізбен бөлісіңіз.
checkout-quantity = Неше гүл шоғы? 1-ден 99-ға дейін сан жазыңыз.
checkout-quantity-invalid = 1-ден 99-ға дейінгі бүтін сан керек. Неше гүл шоғы?
checkout-card = Ашықхат мәтіні? Жазыңыз немесе «Ашықхатсыз» батырмасын басыңыз.
checkout-no-card = Ашықхатсыз
checkout-card-too-long = Ашықхат мәтіні тым ұзын: 500 таңбадан аспауы керек.
summary-title = Тапсырысты тексеріңіз:
summary-item = { $title } × { $quantity } = { $amount }
summary-fee = Жеткізу: { $fee }
summary-total = Барлығы: { $total }
summary-recipient = Алушы: { $name }, { $phone }
summary-address = Мекенжай: { $address }
summary-pickup = Өзіңіз алып кету: { $address }, күн сайын { $hours }
summary-when = Қашан: { $date }, { $slot }
summary-card = Ашықхат: { $text }
summary-phone = Kaspi шоты нөмірге: { $phone }
edit-quantity = ✏️ Саны
edit-type = ✏️ Жеткізу / алып кету
edit-address = ✏️ Мекенжай
edit-recipient = ✏️ Алушы
edit-when = ✏️ Күні мен уақыты
edit-card = ✉️ Ашықхат
edit-phone = ✏️ Телефон
checkout-confirm = ✅ Растау
checkout-confirm-hint = Тапсырысты рәсімдеу үшін «Растау» батырмасын, ал өзгерту үшін керекті өрістің батырмасын басыңыз.
checkout-placed = { $trackingId } тапсырысы рәсімделді! Сомасы: { $total }. Қазір Kaspi-ге шот келеді — күйін осында хабарлаймыз.
checkout-slot-full = Бұл уақытқа бос орын қалмады. Басқа уақытты таңдаңыз.
checkout-rejected-slot = Бұл уақыт енді бос емес. Басқа уақытты таңдаңыз.
checkout-rejected-date = Бұл күнге тапсырыс рәсімдеу мүмкін емес. Басқа күнді таңдаңыз.
checkout-rejected-recipient = Алушыны көрсетіңіз.
checkout-rejected-address = Жеткізу мекенжайын көрсетіңіз.
checkout-rejected = Мұндай деректермен тапсырыс рәсімделмеді. Тексеріп, қайта растаңыз.
checkout-product-gone = Бұл гүл шоғы жаңа ғана таусылды. Каталогтан басқасын қараңыз.
checkout-failed = Ақаулыққа байланысты тапсырыс рәсімделмеді. Сәлден кейін «Растау» батырмасын қайта басыңыз.
checkout-busy = { $trackingId } тапсырысы қабылданды, бірақ тапсырыс қызметі қазір бос емес және оны әлі растаған жоқ. Растағаннан кейін Kaspi шоты осында келеді. Бір минуттан соң «Растау» батырмасын қайта басуға болады: екінші тапсырыс пайда болмайды.

## Notifications (sent by the order workflow)
notify-new = { $trackingId } тапсырысы қабылданды. Сомасы: { $total }.
notify-awaiting_payment =
    { $deadline ->
        [none] { $trackingId } тапсырысын төлеңіз: { $phone } нөміріне Kaspi-ге { $total } шот жібердік.
       *[other] { $trackingId } тапсырысын төлеңіз (төлем мерзімі — { $deadline }): { $phone } нөміріне Kaspi-ге { $total } шот жібердік.
    } Kaspi.kz қосымшасында → Хабарламалар бөлімінде төлемді растаңыз.
notify-payment_reminder =
    { $deadline ->
        [none] Еске саламыз: { $trackingId } тапсырысы Kaspi-де төлемді күтуде ({ $total }).
       *[other] Еске саламыз: { $trackingId } тапсырысын төлеңіз, төлем мерзімі — { $deadline }, әйтпесе тапсырыстан бас тартылады. { $total } шот Kaspi-де күтіп тұр.
    } Шот келмесе, төмендегі батырманы басыңыз.
notify-paid = { $trackingId } тапсырысының төлемі алынды. Рақмет!
notify-accepted = Флорист { $trackingId } тапсырысын жұмысқа алды.
notify-assembled = { $trackingId } тапсырысы бойынша гүл шоғы дайын!
notify-assembled-pickup = { $trackingId } тапсырысы бойынша гүл шоғы дайын — алып кетуге болады!
notify-in_delivery = Курьер { $trackingId } тапсырысын жеткізіп келеді.
notify-in_delivery-pickup = { $trackingId } тапсырысы сізді дүкенде күтіп тұр — алып кетуге болады.
notify-delivered = { $trackingId } тапсырысы жеткізілді. Бізді таңдағаныңызға рақмет!
notify-delivered-pickup = { $trackingId } тапсырысы берілді. Бізді таңдағаныңызға рақмет!
notify-cancelled = { $trackingId } тапсырысынан бас тартылды: { $reason }.
notify-refunded = { $trackingId } тапсырысының ақшасы Kaspi-ге қайтарылды.
notify-photo-link = Гүл шоғының суреті: { $url }
cancel-reason-payment_expired = төлем уақыты өтті
cancel-reason-payment_failed = төлем өтпеді
cancel-reason-customer = сіздің өтінішіңіз бойынша
cancel-reason-shop = дүкен тарапынан
cancel-reason-other = тапсырыстан бас тартылды

## Delivery day: the photo to approve, the morning reminder, the rating
notify-approval_request =
    { $trackingId } тапсырысы бойынша гүл шоғы дайын — міне! Бәрі ұнай ма? Курьер сіздің жауабыңыздан кейін шығады (жауап болмаса — бір сағаттан соң).
notify-approval_timed_out = Гүл шоғының суреті бойынша сізден жауап алмадық, сондықтан { $trackingId } тапсырысын курьерге суреттегідей күйінде тапсырамыз. Рақмет!
notify-approval_timed_out-pickup = Гүл шоғының суреті бойынша сізден жауап алмадық, сондықтан { $trackingId } тапсырысы дүкенде суреттегідей күйінде сізді күтеді. Рақмет!
notify-delivery_reminder = Бүгін { $trackingId } тапсырысын жеткіземіз: { $slot }, алушы — { $recipient }, мекенжай: { $address }.
notify-delivery_reminder-pickup = Бүгін { $trackingId } тапсырысын дүкеннен алып кетуге болады: { $slot }.
notify-rating_request = { $trackingId } тапсырысы ұнады ма? 1-ден 5-ке дейін жұлдызбен бағалаңыз.
approval-approve-button = 👍 Бәрі керемет
approval-change-button = ✏️ Өзгертуді сұрау
approval-approved = Рақмет! Курьерге тапсырдық — { $trackingId } тапсырысы жақында жолға шығады.
approval-change-ask = Гүл шоғында нені өзгерту керегін қысқаша жазыңыз (бір хабарламамен).
approval-change-sent = Флористке жеткіздік. Гүл шоғы дайын болғанда жаңа суретін жібереміз.
approval-too-late = { $trackingId } тапсырысы бойынша бұл сұрақ енді өзекті емес.
rating-star-button = { $stars }⭐
rating-thanks-ask = Бағаңызға рақмет! Қаласаңыз, жарты сағат ішінде пікір жазыңыз — немесе «Пікірсіз» батырмасын басыңыз.
rating-no-comment-button = Пікірсіз
rating-thanks = Пікіріңізге рақмет! Сізді қайта күтеміз 💐
rating-too-late = { $trackingId } тапсырысының бағасын енді қабылдай алмаймыз. Рақмет!
customer-words-too-long = Тым ұзақ: 500 таңбадан аспаңыз.
